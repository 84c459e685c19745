"""A lookahead brick-wall limiter on the samples: loud modern mastering, applied to every song alike.

A limiter driven into its ceiling is close to idempotent: a song limited once changes little when it is limited
again at the same ceiling relative to its loudness. So limiting every song to one peak-to-loudness ratio before
its features brings a dynamic master and a loud one of the same music close together, where loudness
normalisation alone only matches their levels (a limiter lowers the peaks, drums first, and so raises
everything else against them).

The gain is worked out on 1-ms blocks: each block's peak sets the gain it needs (ceiling / peak), held from a
lookahead before to a hold after it (the smallest needed gain in that span), then smoothed by a moving average
no wider than the lookahead, so every averaged gain is at most what each sample of its block needs and no
output sample exceeds the ceiling. A few vectorised passes, about 10 ms for a 3-minute song at 16 kHz.
"""

from __future__ import annotations

import numpy as np
import scipy.ndimage

BLOCK_SECONDS = 0.001
LOOKAHEAD_BLOCKS = 6
"""How long before a peak the gain starts to fall, in blocks (the attack ramp: 6 ms; even, as the average is
centred)."""
HOLD_BLOCKS = 50
"""How long after a peak the gain stays down before it returns, in blocks (50 ms: as ffmpeg's alimiter's default
release)."""


def limit_peaks(audio: np.ndarray, ceiling: float, sample_rate: int) -> np.ndarray:
    """`audio` (mono float, shape (n,)) through a brick-wall limiter: no sample's magnitude exceeds `ceiling`.

    Returns a new float32 array of the same length; `audio` is left as it was.

    Example:
        >>> import numpy as np
        >>> burst = np.concatenate([np.full(1600, 0.1), np.full(800, 0.9), np.full(1600, 0.1)]).astype(np.float32)
        >>> limited = limit_peaks(burst, 0.5, 16000)  # 100 ms quiet, 50 ms loud, 100 ms quiet
        >>> bool(np.abs(limited).max() <= 0.5), round(float(limited[0]), 4), round(float(limited[-1]), 4)
        (True, 0.1, 0.1)
    """
    samples = np.asarray(audio, dtype=np.float32)
    block = max(1, round(BLOCK_SECONDS * sample_rate))
    n_blocks = -(-len(samples) // block)
    padded = np.zeros(n_blocks * block, dtype=np.float32)
    padded[: len(samples)] = samples
    blocks = padded.reshape(n_blocks, block)
    peaks = _row_peaks(blocks)
    if not n_blocks or float(peaks.max()) <= ceiling:
        return samples.copy()
    with np.errstate(divide="ignore"):
        needed = np.minimum(np.float32(1.0), np.float32(ceiling) / peaks)
    # held[b] = the smallest needed gain over blocks [b - hold, b + lookahead] (a centred filter, shifted).
    held = scipy.ndimage.minimum_filter1d(
        needed, size=HOLD_BLOCKS + LOOKAHEAD_BLOCKS + 1, mode="nearest", origin=(HOLD_BLOCKS - LOOKAHEAD_BLOCKS) // 2
    )
    # The mean over [b - lookahead/2, b + lookahead/2] only averages gains whose span covers block b.
    gain = scipy.ndimage.uniform_filter1d(held, size=LOOKAHEAD_BLOCKS + 1, mode="nearest")
    np.minimum(gain, needed, out=gain)  # float rounding of the average
    blocks *= gain[:, np.newaxis]
    return padded[: len(samples)]


def _row_peaks(blocks: np.ndarray) -> np.ndarray:
    """Each row's largest magnitude: halving the rows pairwise is 5x faster than ``max(axis=1)`` on rows of 16."""
    peaks = np.abs(blocks)
    while peaks.shape[1] > 1:
        half = peaks.shape[1] // 2
        pairs = np.maximum(peaks[:, :half], peaks[:, half : 2 * half])
        # An odd width keeps its last column for the next round.
        peaks = pairs if peaks.shape[1] % 2 == 0 else np.concatenate([pairs, peaks[:, 2 * half :]], axis=1)
    return peaks[:, 0]
