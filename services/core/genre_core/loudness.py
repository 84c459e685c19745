"""Loudness per ITU-R BS.1770-4, measured on the STFT frames the log-mel spectrogram is made of.

BS.1770 weights the signal with the K filter (a high shelf of +4 dB above ~1.5 kHz and a high pass at
38 Hz), takes the mean square over 400-ms blocks every 100 ms, and averages the blocks above an absolute
gate (-70 LUFS) and a relative one (10 LU below the ungated mean). Here the K filter is applied as a
weight on each FFT bin's power (its magnitude response at that frequency, from pyloudnorm's filter
design), so the loudness comes from the power spectrum :func:`genre_core.features.mel_power` computes
anyway: one dot product per frame instead of a second pass over the samples (a time-domain meter costs
10-25 % of the small CNN's whole analysis). By Parseval's theorem a Hann-windowed frame's weighted power,
divided by the window's energy, is the frame's mean square of the K-filtered signal; a block's mean square
is the mean over the frames centred inside it. A test checks the result against pyloudnorm's time-domain
meter on real music (within 0.5 LU).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import scipy.signal
from pyloudnorm.iirfilter import IIRfilter

from genre_core.params import FeatureParams

ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
BLOCK_SECONDS = 0.4
BLOCK_STEP_SECONDS = 0.1
# BS.1770's offset: a 997-Hz sine at full scale in one channel reads -3.01 LUFS.
_LOUDNESS_OFFSET = -0.691


def power_to_lufs(mean_square: np.ndarray | float) -> np.ndarray:
    """Mean square of the K-weighted signal -> loudness in LUFS (-inf for digital silence)."""
    with np.errstate(divide="ignore"):
        return _LOUDNESS_OFFSET + 10.0 * np.log10(np.asarray(mean_square, dtype=np.float64))


@lru_cache(maxsize=8)
def k_weights(params: FeatureParams) -> np.ndarray:
    """Weight of each rfft bin's power, shape (1 + n_fft // 2,), float32: |K(f)|² times the factors that turn
    a Hann-windowed frame's one-sided power spectrum into the K-weighted mean square of the frame."""
    rate, n_fft = params.sample_rate, params.n_fft
    frequencies = np.fft.rfftfreq(n_fft, d=1.0 / rate)
    # The K-weighting stages as pyloudnorm (and BS.1770's reference implementation) defines them at any rate.
    stages = (
        IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf"),
        IIRfilter(0.0, 0.5, 38.0, rate, "high_pass"),
    )
    response = np.ones(len(frequencies))
    for stage in stages:
        _, h = scipy.signal.freqz(stage.b, stage.a, worN=frequencies, fs=rate)
        response *= np.abs(h) ** 2
    # One-sided spectrum: every bin but DC and Nyquist stands for two; Parseval divides by n_fft.
    one_sided = np.full(len(frequencies), 2.0)
    one_sided[0] = 1.0
    if n_fft % 2 == 0:
        one_sided[-1] = 1.0
    # A constant offset leaks from the DC bin into the next one through the Hann window's main lobe; both
    # lie under the K filter's 38-Hz high pass, so leaving them out keeps an inaudible offset from reading
    # as loudness (a file of nothing but an offset is silence), at the price of a little sub-bass.
    response[:2] = 0.0
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n_fft) / n_fft)
    return (response * one_sided / (n_fft * np.sum(window**2))).astype(np.float32)


def block_powers(frame_power: np.ndarray, params: FeatureParams) -> np.ndarray:
    """Mean square of each 400-ms gating block (one every 100 ms) from the frames' K-weighted mean squares.

    Frame m is centred on sample m·hop_length (a centred STFT); block j holds the frames centred in
    [j·0.1 s, j·0.1 s + 0.4 s). A song shorter than one block is one block.
    """
    seconds_per_frame = params.hop_length / params.sample_rate
    duration = len(frame_power) * seconds_per_frame
    n_blocks = max(1, int(np.floor((duration - BLOCK_SECONDS) / BLOCK_STEP_SECONDS + 1e-9)) + 1)
    block_starts = np.arange(n_blocks) * BLOCK_STEP_SECONDS
    first = np.ceil(block_starts / seconds_per_frame - 1e-9).astype(np.int64)
    last = np.ceil((block_starts + BLOCK_SECONDS) / seconds_per_frame - 1e-9).astype(np.int64)
    first, last = np.minimum(first, len(frame_power)), np.minimum(last, len(frame_power))
    totals = np.concatenate([[0.0], np.cumsum(frame_power, dtype=np.float64)])
    return (totals[last] - totals[first]) / np.maximum(last - first, 1)


def integrated_loudness(frame_power: np.ndarray, params: FeatureParams) -> float:
    """The song's gated integrated loudness in LUFS; -inf when no block is above the absolute gate (silence)."""
    blocks = block_powers(frame_power, params)
    loud = blocks[power_to_lufs(blocks) > ABSOLUTE_GATE_LUFS]
    if not len(loud):
        return float("-inf")
    relative_gate = float(power_to_lufs(loud.mean())) + RELATIVE_GATE_LU
    gated = loud[power_to_lufs(loud) > relative_gate]
    return float(power_to_lufs(gated.mean()))
