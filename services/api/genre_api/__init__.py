"""The HTTP API of the genre classifier."""
