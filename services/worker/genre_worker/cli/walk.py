"""Which files `classify DIR...` looks at: audio files by name, in a stable order."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# What the decoders read (libsndfile, then ffmpeg). Picked by name, as a music player does: opening every
# cover image, playlist and text file in a library to find out would cost more than classifying the songs.
AUDIO_SUFFIXES = frozenset(
    [
        ".mp3",
        ".flac",
        ".ogg",
        ".oga",
        ".opus",
        ".m4a",
        ".m4b",
        ".mp4",
        ".aac",
        ".wav",
        ".wave",
        ".aif",
        ".aiff",
        ".aifc",
        ".wma",
        ".webm",
        ".mka",
        ".wv",
        ".ape",
    ]
)


@dataclass
class Found:
    files: list[Path] = field(default_factory=list)
    not_audio: int = 0
    """Files in the folders left out because their names are not audio files'."""


def find_audio(sources: list[Path], *, recursive: bool) -> Found:
    """The audio files in `sources`: files as given (whatever their name), folders' audio files sorted by
    path, their subfolders' too when `recursive`. Each file once, however many ways it is reached.

    Names starting with "." are left out: hidden files, and the `._song.mp3` resource forks macOS leaves on
    shared drives, which are not audio.
    """
    found = Found()
    seen: set[Path] = set()

    def add(path: Path) -> None:
        real = path.resolve()
        if real not in seen:
            seen.add(real)
            found.files.append(path)

    for source in sources:
        if not source.is_dir():
            add(source)
            continue
        for folder, subfolders, names in os.walk(source):  # symbolic links to folders are not followed: no loops
            subfolders[:] = sorted(name for name in subfolders if not name.startswith(".")) if recursive else []
            for name in sorted(names):
                path = Path(folder, name)
                if name.startswith(".") or not path.is_file():
                    continue
                if path.suffix.lower() in AUDIO_SUFFIXES:
                    add(path)
                else:
                    found.not_audio += 1
    return found
