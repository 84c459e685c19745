"""The worker: download → decode → log-mel windows → LiteRT model → stored result."""
