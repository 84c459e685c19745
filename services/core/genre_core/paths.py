"""Where a source checkout keeps its shipped model, for defaults that work without configuration."""

from __future__ import annotations

from pathlib import Path

# services/core/genre_core/paths.py -> the repository root is three folders up.
CHECKOUT_ROOT = Path(__file__).resolve().parents[3]
SHIPPED_MODEL_DIR = CHECKOUT_ROOT / "models" / "default"
