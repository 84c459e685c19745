"""Data: a dataset's songs, their splits, windows and cached features, training batches, augmentation, non-music."""
