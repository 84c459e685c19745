"""The awkward corpus (testkit.awkward_audio): every file decodes to about its clean source, or is refused.

"About its source" is measured at the lag that matches best (junk before an MP3 can decode to a few
spurious frames): the correlation with the clean clip, and the gain, so that a downmix 3 dB too loud
fails as surely as noise does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.signal
import soundfile

from genre_core.audio import load_audio
from genre_core.errors import PipelineError, TooLong, UnsupportedAudio
from genre_core.params import MUSICNN_FEATURE_PARAMS

RATE = MUSICNN_FEATURE_PARAMS.sample_rate
LIMIT_SECONDS = 900
MAX_LAG_SECONDS = 0.25

DECODES_IN_FULL = {
    "id3-windows-media.mp3": 0.99,
    "id3-5mb-cover.mp3": 0.99,
    "vbr.mp3": 0.99,
    "leading-junk.mp3": 0.99,
    "pcm-u8.wav": 0.999,
    "24bit-96k.flac": 0.999,
    "six-channels.wav": 0.999,
    "six-channels.mp4": 0.99,
    "mono-8k.wav": 0.99,  # the clip above 4 kHz is gone
    "wav-length-overstated.wav": 0.999,
    "wav-length-zero.wav": 0.999,
    "flac-length-unknown.flac": 0.999,
}
"""name -> the least correlation with the clean source (lossy codecs and 8 kHz lose a little)."""

DECODES_WHAT_IS_THERE = {"junk-mid-stream.mp3": 29.9, "flac-corrupt-middle.flac": 29.9, "flac-truncated.flac": 14.6}
"""Damaged half-way, where libsndfile gives up: name -> seconds ffmpeg recovers (the source has 30.0)."""

HOLDS_NO_AUDIO = ("flac-no-frames.flac", "nan.wav", "infinity.wav", "nan.mka")


@pytest.fixture(scope="module")
def source(awkward_corpus: dict[str, Path]) -> np.ndarray:
    return load_audio(awkward_corpus["source.wav"], RATE)


def _match(audio: np.ndarray, reference: np.ndarray, seconds: tuple[float, float]) -> tuple[float, float]:
    """(correlation, gain) of `audio` against `reference` over `seconds` of it, at the best lag within ±0.25 s."""
    lag = round(MAX_LAG_SECONDS * RATE)
    start, stop = round(seconds[0] * RATE), round(seconds[1] * RATE)
    wanted = reference[start + lag : stop - lag]
    searched = audio[start : stop + lag]
    best = int(np.argmax(scipy.signal.correlate(searched, wanted, mode="valid", method="fft")))
    found = searched[best : best + len(wanted)]
    correlation = float(np.corrcoef(found, wanted)[0, 1])
    return correlation, float(found @ wanted / (wanted @ wanted))


@pytest.mark.parametrize("name", sorted(DECODES_IN_FULL))
def test_awkward_file_decodes_to_its_source(awkward_corpus: dict[str, Path], source: np.ndarray, name: str) -> None:
    audio = load_audio(awkward_corpus[name], RATE, max_seconds=LIMIT_SECONDS)

    assert audio.dtype == np.float32 and audio.ndim == 1
    assert abs(len(audio) - len(source)) < 0.1 * RATE
    correlation, gain = _match(audio, source, (0, 29.5))
    assert correlation > DECODES_IN_FULL[name]
    assert 0.9 < gain < 1.1


@pytest.mark.parametrize("name", sorted(DECODES_WHAT_IS_THERE))
def test_file_libsndfile_fails_on_half_way_decodes_what_is_there(
    awkward_corpus: dict[str, Path], source: np.ndarray, name: str
) -> None:
    path = awkward_corpus[name]
    with soundfile.SoundFile(path) as sound, pytest.raises(soundfile.LibsndfileError):
        sound.read(dtype="float32")  # opens, then fails part-way: what used to escape as a crash

    audio = load_audio(path, RATE, max_seconds=LIMIT_SECONDS)

    assert len(audio) / RATE == pytest.approx(DECODES_WHAT_IS_THERE[name], abs=0.3)
    correlation, gain = _match(audio, source, (0, 12))  # before the damage
    assert correlation > 0.99 and 0.9 < gain < 1.1


@pytest.mark.parametrize("name", HOLDS_NO_AUDIO)
def test_file_without_valid_audio_is_unsupported(awkward_corpus: dict[str, Path], name: str) -> None:
    with pytest.raises(UnsupportedAudio) as caught:
        load_audio(awkward_corpus[name], RATE, max_seconds=LIMIT_SECONDS)
    assert caught.value.code == "unsupported_audio"
    assert str(awkward_corpus[name].parent) not in caught.value.message


def test_flac_of_unknown_length_is_measured_while_decoding(awkward_corpus: dict[str, Path]) -> None:
    path = awkward_corpus["flac-length-unknown.flac"]
    assert soundfile.info(path).frames == 2**63 - 1  # libsndfile's "unknown": 6.6e12 years at 44.1 kHz

    assert len(load_audio(path, RATE, max_seconds=31)) == pytest.approx(30.0 * RATE, abs=RATE * 0.02)
    with pytest.raises(TooLong):
        load_audio(path, RATE, max_seconds=20)


@pytest.mark.parametrize("name", ["source.wav", "plain.flac", "plain-128k.mp3", "six-channels.mp4"])
def test_randomly_damaged_files_decode_or_fail_with_a_pipeline_error(
    awkward_corpus: dict[str, Path], tmp_path: Path, name: str
) -> None:
    original = awkward_corpus[name].read_bytes()
    rng = np.random.default_rng(sum(name.encode()))
    outcomes = []
    for attempt in range(6):
        damaged = bytearray(original[: int(rng.integers(len(original) // 50, len(original)))])
        for _ in range(int(rng.integers(1, 20))):  # overwrite a few runs of bytes, header included
            at = int(rng.integers(0, len(damaged)))
            damaged[at : at + int(rng.integers(1, 2000))] = rng.bytes(int(rng.integers(1, 2000)))
        path = tmp_path / f"damaged-{attempt}{Path(name).suffix}"
        path.write_bytes(bytes(damaged))
        try:
            audio = load_audio(path, RATE, max_seconds=LIMIT_SECONDS)
        except PipelineError as error:
            outcomes.append(error.code)
        else:
            assert audio.dtype == np.float32 and np.isfinite(audio).all()
            outcomes.append("decoded")
    assert set(outcomes) <= {"decoded", "unsupported_audio", "too_long"}
