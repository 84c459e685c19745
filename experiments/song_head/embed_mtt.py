"""Like embed.py, with the MagnaTagATune musicnn weights (same architecture, also in the musicnn package)."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

from genre_trainer.models import musicnn

sys.path.insert(0, str(Path(__file__).parent))
from embed import embed_all

musicnn._packaged_checkpoint = lambda: f"{resources.files('musicnn') / 'MTT_musicnn'}/"
embed_all(Path(sys.argv[1] if len(sys.argv) > 1 else "var/song_head/embeddings-mtt.npz"))
