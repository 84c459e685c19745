"""Awkward but real audio files, made from one clean clip with ffmpeg, lame, sox and mutagen.

Each is a kind of file users send and decoders trip on: tags a decoder must skip, junk before or inside
the stream, odd sample formats, rates and channel counts, headers that lie about the length, damaged
FLAC, samples that are not numbers, and text files that make ffmpeg read other files. The bytes that
are not audio (junk, covers) come from a seeded generator, so every run builds the same corpus.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile
from mutagen.id3 import APIC, ID3, PRIV, TIT2, TPE1

WINDOWS_MEDIA_PRIV_OWNERS = (
    "WM/MediaClassPrimaryID", "WM/MediaClassSecondaryID", "WM/Provider", "WM/UniqueFileIdentifier",
    "WM/WMContentID", "WM/WMCollectionID", "WM/WMCollectionGroupID",
)  # fmt: skip
"""The PRIV frames Windows Media Player writes into the ID3v2 tags of the MP3s it rips or buys."""

RATE = 44100
"""The clean source's rate: a CD's, stereo 16-bit."""


def ffmpeg(*args: str | Path) -> None:
    """Runs ffmpeg quietly; a failure raises with its error output."""
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", *map(str, args)], check=True)


def tools_missing() -> list[str]:
    """The command-line tools the corpus needs that are not installed (scripts/install.sh installs them)."""
    return [tool for tool in ("ffmpeg", "lame", "sox") if shutil.which(tool) is None]


def clean_source(clip: Path, folder: Path) -> Path:
    """`clip` as a CD would hold it: 44.1 kHz, 16-bit, two equal channels (so any downmix is the clip itself)."""
    target = folder / "source.wav"
    ffmpeg("-i", clip, "-ar", RATE, "-ac", 2, "-c:a", "pcm_s16le", target)
    return target


def lame(source: Path, target: Path, *options: str) -> Path:
    subprocess.run(["lame", "--quiet", *options, str(source), str(target)], check=True)
    return target


def windows_media_tags(mp3: Path, cover_bytes: int, seed: int = 0) -> Path:
    """ID3v2.3 as Windows Media writes it: its PRIV frames, title, artist, and an APIC cover of `cover_bytes`."""
    rng = np.random.default_rng(seed)
    tags = ID3()
    for owner in WINDOWS_MEDIA_PRIV_OWNERS:
        tags.add(PRIV(owner=owner, data=rng.bytes(16)))
    tags.add(TIT2(encoding=3, text="Song"))
    tags.add(TPE1(encoding=3, text="Artist"))
    # A JPEG's start marker, then noise: decoders must skip the frame whatever it holds.
    cover = b"\xff\xd8\xff\xe0" + rng.bytes(cover_bytes)
    tags.add(APIC(encoding=0, mime="image/jpeg", type=3, desc="Cover", data=cover))
    tags.save(mp3, v2_version=3)
    return mp3


def with_junk(source: Path, target: Path, at: float, size: int, seed: int = 1) -> Path:
    """`source` with `size` seeded random bytes inserted at fraction `at` of its length (0: before it)."""
    data = source.read_bytes()
    cut = round(len(data) * at)
    target.write_bytes(data[:cut] + np.random.default_rng(seed).bytes(size) + data[cut:])
    return target


def samples(source: Path) -> tuple[np.ndarray, int]:
    """The source's first channel as float32, and its rate."""
    signal, rate = soundfile.read(source, dtype="float32", always_2d=True)
    return signal[:, 0], rate


def six_channels(source: Path, target: Path) -> Path:
    """The source in all six channels of a 5.1 file: every downmix of it is the source again."""
    signal, rate = samples(source)
    soundfile.write(target, np.repeat(signal[:, np.newaxis], 6, axis=1), rate, subtype="PCM_16")
    return target


def wav_with_data_size(source: Path, target: Path, size: int) -> Path:
    """A copy of a WAV whose RIFF and data chunk sizes say `size` bytes of audio, whatever the file holds."""
    data = bytearray(source.read_bytes())
    data_chunk = data.index(b"data")
    data[data_chunk + 4 : data_chunk + 8] = struct.pack("<I", size)
    data[4:8] = struct.pack("<I", min(size + data_chunk, 0xFFFFFFFF))
    target.write_bytes(bytes(data))
    return target


def flac_without_length(source: Path, target: Path) -> Path:
    """A copy of a FLAC whose STREAMINFO says total_samples = 0: "length unknown", as a streaming encoder writes."""
    data = bytearray(source.read_bytes())
    assert data[:4] == b"fLaC" and data[4] & 0x7F == 0, "STREAMINFO must be the first metadata block"
    # STREAMINFO's 64 bits at offset 18: rate (20), channels - 1 (3), bits - 1 (5), total samples (36).
    packed = int.from_bytes(data[18:26], "big") & ~((1 << 36) - 1)
    data[18:26] = packed.to_bytes(8, "big")
    target.write_bytes(bytes(data))
    return target


def flac_header_then_garbage(source: Path, target: Path, size: int = 200_000, seed: int = 2) -> Path:
    """A FLAC's own metadata blocks (libsndfile opens it) followed by noise instead of audio frames."""
    data = source.read_bytes()
    offset, last = 4, False
    while not last:
        last = bool(data[offset] & 0x80)
        offset += 4 + int.from_bytes(data[offset + 1 : offset + 4], "big")
    target.write_bytes(data[:offset] + np.random.default_rng(seed).bytes(size))
    return target


def float_wav_with(source: Path, target: Path, value: float, every: int = 1) -> Path:
    """A 32-bit float WAV of the source with every `every`-th sample set to `value` (NaN, infinity)."""
    signal, rate = samples(source)
    signal = signal.copy()
    signal[::every] = value
    soundfile.write(target, signal, rate, subtype="FLOAT")
    return target


def hls_playlist(target: Path, names: Path | str) -> Path:
    """An HLS playlist (what ffmpeg's hls demuxer plays) whose one segment is `names`: a file (as a file: URL)
    or a URL."""
    segment = f"file://{names}" if isinstance(names, Path) else names
    target.write_text(
        f"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:30\n#EXTINF:30.0,\n{segment}\n#EXT-X-ENDLIST\n"
    )
    return target


def ffconcat_script(target: Path, names: str) -> Path:
    """An ffconcat script (ffmpeg's concat demuxer) that plays the file `names`, relative to the script."""
    target.write_text(f"ffconcat version 1.0\nfile '{names}'\n")
    return target


def build_corpus(clip: Path, folder: Path) -> dict[str, Path]:
    """Every awkward file made from `clip` in `folder`, by name, beside the clean `source.wav` and its plain
    `plain-128k.mp3` and `plain.flac` encodings and `six-channels.wav`."""
    folder.mkdir(parents=True, exist_ok=True)
    source = clean_source(clip, folder)
    cbr = lame(source, folder / "plain-128k.mp3", "-b", "128")
    flac = folder / "plain.flac"
    ffmpeg("-i", source, "-c:a", "flac", flac)
    six = six_channels(source, folder / "six-channels.wav")
    nan_source = float_wav_with(source, folder / "nan-source.wav", float("nan"))
    makers: dict[str, Callable[[Path], Path]] = {
        "id3-windows-media.mp3": lambda t: windows_media_tags(shutil.copyfile(cbr, t), cover_bytes=30_000),
        "id3-5mb-cover.mp3": lambda t: windows_media_tags(shutil.copyfile(cbr, t), cover_bytes=5 * 2**20),
        "vbr.mp3": lambda t: lame(source, t, "-V", "2"),
        "leading-junk.mp3": lambda t: with_junk(cbr, t, at=0.0, size=3000),
        "junk-mid-stream.mp3": lambda t: with_junk(cbr, t, at=0.5, size=4000),
        "pcm-u8.wav": lambda t: _ffmpeg_to(source, t, "-c:a", "pcm_u8"),
        "24bit-96k.flac": lambda t: _ffmpeg_to(source, t, "-ar", "96000", "-sample_fmt", "s32", "-c:a", "flac"),
        "six-channels.mp4": lambda t: _ffmpeg_to(six, t, "-c:a", "ac3"),  # 5.1 AC-3: ffmpeg's downmix
        "mono-8k.wav": lambda t: _sox(source, t, "-r", "8000", "-c", "1"),
        "wav-length-overstated.wav": lambda t: wav_with_data_size(source, t, 0xFFFFFFFF - 64),
        "wav-length-zero.wav": lambda t: wav_with_data_size(source, t, 0),
        "flac-length-unknown.flac": lambda t: flac_without_length(flac, t),
        "flac-truncated.flac": lambda t: _write(t, flac.read_bytes()[: len(flac.read_bytes()) // 2]),
        "flac-corrupt-middle.flac": lambda t: with_junk(flac, t, at=0.5, size=4000),
        "flac-no-frames.flac": lambda t: flac_header_then_garbage(flac, t),
        "nan.wav": lambda t: float_wav_with(source, t, float("nan"), every=1000),
        "infinity.wav": lambda t: float_wav_with(source, t, float("inf"), every=50_000),
        "nan.mka": lambda t: _ffmpeg_to(nan_source, t, "-c:a", "copy"),  # float PCM that only ffmpeg reads
    }  # fmt: skip
    plain = {"source.wav": source, cbr.name: cbr, flac.name: flac, six.name: six}
    return plain | {name: make(folder / name) for name, make in makers.items()}


def _ffmpeg_to(source: Path, target: Path, *args: str) -> Path:
    ffmpeg("-i", source, *args, target)
    return target


def _sox(source: Path, target: Path, *args: str) -> Path:
    subprocess.run(["sox", str(source), *args, str(target)], check=True)
    return target


def _write(target: Path, data: bytes) -> Path:
    target.write_bytes(data)
    return target
