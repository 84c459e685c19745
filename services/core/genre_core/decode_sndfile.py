"""Decoding with libsndfile, block by block, straight to mono at the pipeline's rate.

A file's header chooses its channel count and sample rate, and a few hundred kilobytes of FLAC can
declare eight channels at 96 kHz for a quarter of an hour. Reading it whole at its own rate and
channel count would take gigabytes; here each block is averaged to mono and resampled as it is read,
so what is kept is the output signal only: at most about `max_seconds * sample_rate` floats, whatever
the header says.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile
import soxr

from genre_core.errors import TooLong

BLOCK_SAMPLES = 1 << 18
"""Samples per read, all channels together: 1 MiB of float32 whatever the channel count."""

UNKNOWN_FRAMES = 2**63 - 1
"""What libsndfile reports as the length of a file whose header does not say it (a FLAC with total_samples 0)."""

MAGIC_NUMBERS = (b"RIFF", b"RIFX", b"RF64", b"riff", b"fLaC", b"OggS", b"FORM", b".snd", b"caff")
"""How the files given to libsndfile begin: WAV (and RF64, Wave64), FLAC, Ogg, AIFF, AU and CAF.

Anything else goes to ffmpeg without libsndfile opening it: libsndfile would try it as MP3, whose decoder
(mpg123) writes its complaints straight to our stderr, and it decodes MP3 less reliably than ffmpeg
(docs/decoding.md)."""

LIBSNDFILE_ERRORS = (soundfile.SoundFileError, OSError)
"""What soundfile raises when libsndfile cannot open a file or read one of its blocks. Only the calls into
libsndfile are guarded: an error of this module's own must surface, not send every file to ffmpeg."""


class LibsndfileCannotDecode(Exception):
    """libsndfile could not decode the file, at opening or at any later block; another decoder may."""


def decode_with_libsndfile(path: Path, sample_rate: int, max_seconds: float | None = None) -> np.ndarray:
    """Decode `path` to a mono float32 signal at `sample_rate` Hz with libsndfile, block by block.

    The channels of each block are averaged and the mono signal resampled with soxr's HQ stream
    resampler, which gives the samples of a one-shot `soxr.resample` of the whole file.

    Decoding stops once the output is longer than `max_seconds`: the caller sees a signal just over
    the limit and refuses it.

    Raises:
        TooLong: the header gives a length over `max_seconds` (nothing is decoded).
        LibsndfileCannotDecode: the file is not of a format given to libsndfile (by its first bytes), or
            libsndfile cannot open it or read one of its blocks.
    """
    try:
        with path.open("rb") as file:
            magic = file.read(4)
        if magic not in MAGIC_NUMBERS:
            raise LibsndfileCannotDecode("not a format given to libsndfile")
        sound = soundfile.SoundFile(path)
    except LIBSNDFILE_ERRORS as error:
        raise LibsndfileCannotDecode(str(error)) from error
    with sound:
        _refuse_long_header(sound, max_seconds)
        return _decode_blocks(sound, sample_rate, max_seconds)


def _refuse_long_header(sound: soundfile.SoundFile, max_seconds: float | None) -> None:
    # A tiny file can announce hours: refuse it from the header without decoding. A header that
    # does not know its length is not refused here; the decoded length is checked as it grows.
    if max_seconds is None or sound.frames in (0, UNKNOWN_FRAMES):
        return
    if sound.frames / sound.samplerate > max_seconds:
        raise TooLong(f"The audio lasts more than {max_seconds / 60:g} min; the limit is {max_seconds / 60:g} min.")


def _decode_blocks(sound: soundfile.SoundFile, sample_rate: int, max_seconds: float | None) -> np.ndarray:
    frames_per_block = max(1, BLOCK_SAMPLES // sound.channels)
    resampler = None
    if sound.samplerate != sample_rate:
        resampler = soxr.ResampleStream(sound.samplerate, sample_rate, 1, dtype="float32", quality="HQ")
    most_bytes = None if max_seconds is None else max_seconds * sample_rate * 4
    # A bytearray grows in place (realloc), where joining arrays at the end would hold the signal twice.
    output = bytearray()
    while True:
        try:
            block = sound.read(frames_per_block, dtype="float32", always_2d=True)
        except LIBSNDFILE_ERRORS as error:
            raise LibsndfileCannotDecode(f"failed after {len(output) // 4} samples: {error}") from error
        # libsndfile returns a short block only at the end (a failed read raises), so a short block
        # is the last one, even when the header said another length.
        last = len(block) < frames_per_block
        # A mono file's block is its signal: averaging one channel would only cost time (the result is the same).
        mono = block.reshape(-1) if sound.channels == 1 else block.mean(axis=1, dtype=np.float32)
        piece = mono if resampler is None else resampler.resample_chunk(mono, last=last)
        output += memoryview(piece).cast("B")
        if last or (most_bytes is not None and len(output) > most_bytes):
            break
    return np.frombuffer(output, dtype=np.float32)
