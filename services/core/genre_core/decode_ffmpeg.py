"""Decoding through an ffmpeg subprocess, for media files only.

ffmpeg reads far more than media files: playlists (HLS `.m3u8`), concat scripts and image sequences
make it open other files, and URLs in them make it use other protocols. An upload named `song.mp3`
that is really a playlist naming `file:///...` would have it read our own disk. So ffmpeg may open
this one file only (`-protocol_whitelist file`, the path given as `file:...`), and only with a
demuxer of a media container (`-format_whitelist`): anything else is refused at probing, before
its content is read, with the same message whatever it names.

ffmpeg downmixes and resamples (soxr) itself and writes mono float32 to a pipe, which is read up to
a little past `max_seconds`, so neither process holds more than the output signal.
"""

from __future__ import annotations

import logging
import math
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from genre_core.errors import UnsupportedAudio

logger = logging.getLogger(__name__)

MEDIA_DEMUXERS = (
    "aac", "ac3", "aiff", "amr", "ape", "asf", "au", "avi", "caf", "dsf", "dts", "eac3", "flac", "flv",
    "loas", "matroska", "mov", "mp3", "mpc", "mpc8", "mpeg", "mpegts", "ogg", "tta", "voc", "w64", "wav",
    "wv", "xwma",
)  # fmt: skip
"""ffmpeg demuxers of audio and video containers that hold their media in themselves.

Left out on purpose: `hls`, `dash`, `concat`, `image2`, `webm_dash_manifest` and the like, which read
other files or URLs named inside the input, and raw formats (`s16le`...) that accept any bytes.
"""

READ_BYTES = 1 << 20


def decode_with_ffmpeg(path: Path, sample_rate: int, max_seconds: float | None = None) -> np.ndarray:
    """Decode the first audio stream of `path` to a mono float32 signal at `sample_rate` Hz with ffmpeg.

    At most one second past `max_seconds` is decoded: enough for the caller to tell that the file is
    too long, without holding more.

    Raises:
        UnsupportedAudio: ffmpeg is missing, the file is not a media file of an allowed container, or
            it holds no decodable audio stream.
    """
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise UnsupportedAudio(f"{path.name}: not a format read without ffmpeg, and ffmpeg is not installed")
    most_seconds = None if max_seconds is None else max_seconds + 1
    command = [
        ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error",
        "-protocol_whitelist", "file",
        "-format_whitelist", ",".join(MEDIA_DEMUXERS),
        # "file:" so that a name like "x:y.mp3" is never read as a protocol.
        "-i", f"file:{path.resolve()}",
        "-map", "0:a:0",  # the first audio stream; a video's picture is ignored
        "-ac", "1",
        # rematrix_maxval=1 scales the downmix to a plain average for mono and stereo, as libsndfile's
        # path computes it (ffmpeg's own stereo downmix is (L + R) / sqrt(2), 3 dB louder).
        "-af", f"aresample={sample_rate}:resampler=soxr:precision=20:rematrix_maxval=1",
        *(["-t", f"{most_seconds:g}"] if most_seconds is not None else []),
        "-f", "f32le", "pipe:1",
    ]  # fmt: skip
    most_bytes = None if most_seconds is None else math.ceil(most_seconds * sample_rate) * 4
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors)
        output = _read_output(process, most_bytes)
        errors.seek(0)
        detail = errors.read(4000).decode(errors="replace").strip()
    if process.returncode != 0 and not (most_bytes is not None and len(output) >= most_bytes):
        logger.info("ffmpeg could not decode %s: %s", path.name, detail.replace(str(path.resolve()), path.name))
        raise UnsupportedAudio(f"{path.name} is not a readable audio file")
    usable = len(output) - len(output) % 4
    if not usable:
        raise UnsupportedAudio(f"{path.name} holds no audio")
    return np.frombuffer(output, dtype="<f4", count=usable // 4)


def _read_output(process: subprocess.Popen[bytes], most_bytes: int | None) -> bytearray:
    """ffmpeg's whole output, or its first `most_bytes` when it writes more (ffmpeg is then stopped)."""
    assert process.stdout is not None
    output = bytearray()
    try:
        while most_bytes is None or len(output) < most_bytes:
            chunk = process.stdout.read1(READ_BYTES)
            if not chunk:
                break
            output += chunk
        if most_bytes is not None and len(output) >= most_bytes:
            del output[most_bytes:]
            process.kill()
    finally:
        process.stdout.close()
        process.wait()
    return output
