"""Decoding real audio in every common format and rate to the pipeline's mono 22050 Hz signal."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from genre_core.audio import load_audio, resample
from genre_core.decode_sndfile import LibsndfileCannotDecode, decode_with_libsndfile
from genre_core.errors import TooLong, UnsupportedAudio
from genre_core.features import log_mel
from genre_core.params import DEFAULT_FEATURE_PARAMS, MUSICNN_FEATURE_PARAMS

RATE = DEFAULT_FEATURE_PARAMS.sample_rate


def _ffmpeg(source: Path, target: Path, *args: str) -> Path:
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(source), *args, str(target)], check=True)
    return target


@pytest.fixture(scope="module")
def reference(clip_path: Path) -> np.ndarray:
    return load_audio(clip_path, RATE)


def test_ogg_clip_decodes_to_mono_float32_at_pipeline_rate(reference: np.ndarray, clip_path: Path) -> None:
    info = soundfile.info(clip_path)
    assert reference.dtype == np.float32
    assert reference.ndim == 1
    assert len(reference) == info.frames  # already 22050 Hz: no resampling, no sample lost
    assert 0.01 < np.abs(reference).max() < 1.5  # lossy codecs overshoot full scale a little


@pytest.mark.parametrize(("rate", "extension"), [(44100, "wav"), (16000, "flac")])
def test_other_sample_rates_are_resampled(
    reference: np.ndarray, clip_path: Path, tmp_path: Path, rate: int, extension: str
) -> None:
    converted = _ffmpeg(clip_path, tmp_path / f"clip.{extension}", "-ar", str(rate))
    audio = load_audio(converted, RATE)
    assert abs(len(audio) - len(reference)) <= RATE * 0.01  # same duration within 10 ms
    # Below the 16 kHz copy's 8 kHz ceiling, the log-mel spectrogram matches the original's.
    n = min(len(audio), len(reference))
    ours, theirs = log_mel(audio[:n], DEFAULT_FEATURE_PARAMS), log_mel(reference[:n], DEFAULT_FEATURE_PARAMS)
    bands_below_7k = 100
    difference = np.abs(ours[:bands_below_7k] - theirs[:bands_below_7k])
    assert np.median(difference) < 1.0


def test_stereo_is_averaged_to_mono(reference: np.ndarray, clip_path: Path, tmp_path: Path) -> None:
    stereo = tmp_path / "stereo.wav"
    soundfile.write(stereo, np.stack([reference, np.zeros_like(reference)], axis=1), RATE, subtype="FLOAT")
    np.testing.assert_allclose(load_audio(stereo, RATE), reference / 2, atol=1e-6)


@pytest.mark.parametrize(("extension", "args"), [("mp3", ()), ("m4a", ("-c:a", "aac")), ("opus", ("-c:a", "libopus"))])
def test_compressed_formats_decode_through_ffmpeg(
    reference: np.ndarray, clip_path: Path, tmp_path: Path, extension: str, args: tuple[str, ...]
) -> None:
    audio = load_audio(_ffmpeg(clip_path, tmp_path / f"clip.{extension}", *args), RATE)
    # Encoders add a little priming silence; the duration stays within 0.1 s.
    assert abs(len(audio) - len(reference)) < RATE * 0.1
    assert audio.dtype == np.float32


def test_text_file_named_mp3_is_unsupported(tmp_path: Path) -> None:
    fake = tmp_path / "song.mp3"
    fake.write_text("not audio at all\n" * 100)
    with pytest.raises(UnsupportedAudio) as caught:
        load_audio(fake, RATE)
    assert str(tmp_path) not in caught.value.message  # no internal paths in messages users see


def test_empty_file_is_unsupported(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(UnsupportedAudio):
        load_audio(empty, RATE)


@pytest.mark.parametrize("extension", ["ogg", "mp3"])
def test_audio_longer_than_the_limit_is_refused(clip_path: Path, tmp_path: Path, extension: str) -> None:
    clip = clip_path if extension == "ogg" else _ffmpeg(clip_path, tmp_path / "clip.mp3")
    with pytest.raises(TooLong, match="limit"):
        load_audio(clip, RATE, max_seconds=20)
    assert len(load_audio(clip, RATE, max_seconds=60)) > 29 * RATE


def _decoded_as_before(path: Path, rate: int) -> np.ndarray:
    """What load_audio returned for libsndfile's formats before it decoded block by block: the whole file
    at its own rate and channel count, averaged, then resampled in one call."""
    signal, native_rate = soundfile.read(path, dtype="float32", always_2d=True)
    return resample(signal.mean(axis=1, dtype=np.float32), native_rate, rate)


@pytest.mark.parametrize("rate", [MUSICNN_FEATURE_PARAMS.sample_rate, DEFAULT_FEATURE_PARAMS.sample_rate])
@pytest.mark.parametrize("name", ["gtzan.ogg", "source.wav", "plain.flac", "24bit-96k.flac", "six-channels.wav"])
def test_ordinary_files_give_the_samples_they_always_gave(
    awkward_corpus: dict[str, Path], clip_path: Path, name: str, rate: int
) -> None:
    path = clip_path if name == "gtzan.ogg" else awkward_corpus[name]
    before = _decoded_as_before(path, rate)
    now = load_audio(path, rate)
    assert len(now) == len(before)
    assert np.abs(now - before).max() < 1e-4  # the shipped models' validation figures stand


def test_mp3_goes_to_ffmpeg_with_the_samples_libsndfile_gave(awkward_corpus: dict[str, Path]) -> None:
    for name in ("plain-128k.mp3", "vbr.mp3"):
        path = awkward_corpus[name]
        before = _decoded_as_before(path, RATE)  # libsndfile's mpg123, as MP3s were decoded before
        now = load_audio(path, RATE)
        assert len(now) == len(before)
        # Two MP3 decoders, one resampler setting (soxr at 20 bits, its HQ): a few millionths apart.
        assert np.abs(now - before).max() < 1e-4


def test_stereo_through_ffmpeg_is_averaged_like_libsndfile_does(clip_path: Path, tmp_path: Path) -> None:
    # ffmpeg's own stereo downmix is (L + R) / sqrt(2): 3 dB louder than the average the rest of the pipeline uses.
    reference = load_audio(clip_path, RATE)
    stereo = tmp_path / "stereo.wav"
    soundfile.write(stereo, np.stack([reference, np.zeros_like(reference)], axis=1), RATE, subtype="FLOAT")
    matroska = _ffmpeg(stereo, tmp_path / "stereo.mka", "-c:a", "copy")  # float PCM that only ffmpeg reads
    audio = load_audio(matroska, RATE)
    np.testing.assert_allclose(audio, reference / 2, atol=1e-3)


def test_file_name_that_looks_like_a_protocol_is_read_as_a_file(clip_path: Path, tmp_path: Path) -> None:
    odd = _ffmpeg(clip_path, tmp_path / "concat:song.mp3")
    assert len(load_audio(odd, RATE)) > 29 * RATE


@pytest.mark.parametrize("name", ["source.wav", "plain.flac", "24bit-96k.flac", "six-channels.wav", "pcm-u8.wav"])
def test_libsndfile_formats_are_decoded_in_process(awkward_corpus: dict[str, Path], name: str) -> None:
    # Falling back to ffmpeg on an error of our own would hide it and change every sample a little.
    audio = decode_with_libsndfile(awkward_corpus[name], RATE)
    np.testing.assert_array_equal(audio, load_audio(awkward_corpus[name], RATE))


def test_mp3_is_left_to_ffmpeg(awkward_corpus: dict[str, Path]) -> None:
    with pytest.raises(LibsndfileCannotDecode, match="not a format"):
        decode_with_libsndfile(awkward_corpus["plain-128k.mp3"], RATE)
