"""Evaluation: window- and song-level figures, the model card, the ladder's report and its figures."""
