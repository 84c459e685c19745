"""`--write-tags`: the genre written into a file's own tags with mutagen, the audio left as it is.

Which tag: ID3 `TCON` (MP3, AIFF, and the `id3 ` chunk of WAV), the Vorbis comment `GENRE` (FLAC, Ogg Vorbis,
Opus, Ogg FLAC), MP4's `©gen` (m4a, mp4). WAV has no genre tag of its own: it gets the ID3 chunk that mutagen,
foobar2000, Mp3tag and most players read, and when it already holds a RIFF `LIST/INFO` chunk (as ffmpeg and
most editors write one) the `IGNR` entry there too, since ffmpeg reads the INFO chunk and then ignores ID3.
No INFO chunk is added where there is none: ffmpeg would then show it in place of the ID3 tags.

mutagen rewrites only the tag blocks (ID3 frames, Vorbis comment packets, the MP4 `moov/udta` atoms, RIFF
chunks): the coded audio is copied byte for byte, which the tests check on every format.
"""

from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import mutagen
from mutagen._riff import RiffFile  # mutagen's own RIFF chunk editor, which mutagen.wave is built on
from mutagen.aiff import AIFF
from mutagen.flac import FLAC
from mutagen.id3 import TCON
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggspeex import OggSpeex
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

from genre_worker.cli.rows import TagOutcome

ID3_FILES = (MP3, WAVE, AIFF)
VORBIS_FILES = (FLAC, OggVorbis, OggOpus, OggFLAC, OggSpeex)
MP4_GENRE = "\xa9gen"

# The model's labels are identifiers; tags hold the names players show (ID3v1's spelling where it has one).
GENRE_NAMES = {"hiphop": "Hip-Hop"}


def genre_name(label: str) -> str:
    return GENRE_NAMES.get(label, label.title())


def write_genre(path: Path, genre: str, *, dry_run: bool = False, replace: bool = False) -> TagOutcome:
    """Write `genre` (a display name) into `path`'s genre tag.

    A file that already holds this genre is left alone (`already_set`), and so is one that holds another
    (`kept_existing`) unless `replace`: the genre a person chose outranks the model's guess. `dry_run` says
    what would be written (`would_write`) and writes nothing.
    """
    try:
        audio = mutagen.File(path)
        if audio is None or not isinstance(audio, (*ID3_FILES, *VORBIS_FILES, MP4)):
            kind = "not a format mutagen reads" if audio is None else type(audio).__name__
            return TagOutcome(action="unsupported_format", message=f"no genre tag is written in this format ({kind})")
        previous = _genres(audio, path)
        if any(_same_genre(value, genre) for value in previous):
            return TagOutcome(action="already_set", genre=genre, previous=previous)
        if previous and not replace:
            return TagOutcome(
                action="kept_existing", genre=genre, previous=previous, message="the file has a genre already"
            )
        if dry_run:
            return TagOutcome(action="would_write", genre=genre, previous=previous)
        with _signals_held():
            _write(audio, path, genre)
    except (mutagen.MutagenError, OSError) as error:
        return TagOutcome(action="failed", genre=genre, message=f"{type(error).__name__}: {error}")
    return TagOutcome(action="written", genre=genre, previous=previous)


def read_genres(path: Path) -> list[str]:
    """The genre tags `path` holds, as write_genre reads them (for reports and tests)."""
    audio = mutagen.File(path)
    return [] if audio is None else _genres(audio, path)


def _genres(audio: Any, path: Path) -> list[str]:
    tags = audio.tags
    if isinstance(audio, ID3_FILES):
        values = [genre for frame in tags.getall("TCON") for genre in frame.genres] if tags is not None else []
        if isinstance(audio, WAVE):
            values += [value for value in [_riff_info_genre(path)] if value and value not in values]
        return values
    if tags is None:
        return []
    if isinstance(audio, MP4):
        return [str(value) for value in tags.get(MP4_GENRE, [])]
    return [str(value) for value in tags.get("GENRE", [])]


def _write(audio: Any, path: Path, genre: str) -> None:
    if audio.tags is None:
        audio.add_tags()
    if isinstance(audio, ID3_FILES):
        # Saved in the ID3 version the file had (mutagen would write v2.4), which older players may need.
        version = 3 if audio.tags.version[:2] == (2, 3) else 4
        audio.tags.setall("TCON", [TCON(encoding=3, text=[genre])])
        audio.save(v2_version=version)
        if isinstance(audio, WAVE):
            _set_riff_info_genre(path, genre)
    elif isinstance(audio, MP4):
        audio.tags[MP4_GENRE] = [genre]
        audio.save()
    else:
        audio.tags["GENRE"] = [genre]
        audio.save()


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C or `kill` during a write takes effect once it is done: when a tag grows, mutagen moves the rest
    of the file along in place, and a write cut there would leave the audio damaged."""
    if threading.current_thread() is not threading.main_thread():  # signal handlers can only be set from there
        yield
        return
    received: list[int] = []
    held = {signal.SIGINT: signal.getsignal(signal.SIGINT), signal.SIGTERM: signal.getsignal(signal.SIGTERM)}
    for number in held:
        signal.signal(number, lambda number, _frame: received.append(number))
    try:
        yield
    finally:
        for number, handler in held.items():
            signal.signal(number, handler)
    if received:
        os.kill(os.getpid(), received[0])  # now, as it would have been handled


def _same_genre(a: str, b: str) -> bool:
    # "Hip-Hop", "hiphop" and "Hip Hop" name one genre.
    return re.sub(r"[^a-z0-9]", "", a.lower()) == re.sub(r"[^a-z0-9]", "", b.lower())


def _info_chunk(riff: RiffFile) -> Any:
    return next((chunk for chunk in riff.root.subchunks() if chunk.id == "LIST" and chunk.name == "INFO"), None)


def _riff_info_genre(path: Path) -> str | None:
    with path.open("rb") as file:
        info = _info_chunk(RiffFile(file))
        if info is None or "IGNR" not in info:
            return None
        return info["IGNR"].read().split(b"\x00")[0].decode("latin-1").strip() or None


def _set_riff_info_genre(path: Path, genre: str) -> None:
    # INFO strings are NUL-terminated with no declared encoding; the genre names are ASCII.
    data = genre.encode("ascii", "replace") + b"\x00"
    with path.open("r+b") as file:
        info = _info_chunk(RiffFile(file))
        if info is None:
            return
        if "IGNR" in info:
            chunk = info["IGNR"]
            chunk.resize(len(data))
            chunk.write(data)
        else:
            info.insert_chunk("IGNR", data)
