"""Hostile uploads: headers that make decoding take gigabytes, and playlists that make ffmpeg read our disk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import soundfile

from genre_core.audio import load_audio
from genre_core.errors import UnsupportedAudio
from genre_core.params import MUSICNN_FEATURE_PARAMS
from testkit.awkward_audio import ffconcat_script, ffmpeg, flac_without_length, hls_playlist

RATE = MUSICNN_FEATURE_PARAMS.sample_rate
SECONDS, CHANNELS, FILE_RATE = 60, 8, 96000

# The peak is read from VmHWM, the high-water mark of this process image's own memory: getrusage's
# ru_maxrss survives exec on Linux, so a child started by a large pytest would report pytest's peak.
PEAK_RSS_CHILD = """
import re, sys
from genre_core.audio import load_audio
from genre_core.errors import PipelineError

def peak_kib():
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1))

before = peak_kib()
try:
    outcome = str(len(load_audio(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))))
except PipelineError as error:
    outcome = error.code
print(outcome, (peak_kib() - before) * 1024)
"""


@pytest.fixture(scope="module")
def amplifier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A minute of a constant in 8 channels at 96 kHz: about 40 KB of FLAC for 184 MB of float32 samples."""
    path = tmp_path_factory.mktemp("amplifier") / "constant.flac"
    ffmpeg("-f", "lavfi", "-i", f"anullsrc=r={FILE_RATE}:cl=7.1", "-af", "dcshift=0.25", "-t", SECONDS, path)
    return path


def _decode_in_child(path: Path, max_seconds: float) -> tuple[str, int]:
    """(samples decoded or the error code, growth of the peak resident memory in bytes) of a fresh process."""
    command = [sys.executable, "-c", PEAK_RSS_CHILD, str(path), str(RATE), str(max_seconds)]
    outcome, growth = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
    return outcome, int(growth)


@pytest.mark.parametrize("container", ["flac", "mka"])
def test_memory_holds_the_output_signal_whatever_the_header_says(
    amplifier: Path, tmp_path: Path, container: str
) -> None:
    path = amplifier
    if container == "mka":  # the same stream where only ffmpeg reads it
        path = tmp_path / "constant.mka"
        ffmpeg("-i", amplifier, "-c:a", "copy", path)
    info = soundfile.info(amplifier)
    naive_bytes = info.frames * info.channels * 4  # the file at its own rate and channel count, float32
    assert amplifier.stat().st_size < 100_000 and naive_bytes > 180e6

    outcome, growth = _decode_in_child(path, max_seconds=900)

    assert int(outcome) == pytest.approx(SECONDS * RATE, abs=RATE * 0.01)
    output_bytes = SECONDS * RATE * 4
    # Measured: 10 MiB through libsndfile, 5 through ffmpeg; 206 MiB when the file was read whole.
    assert growth < 4 * output_bytes + 16 * 2**20 < naive_bytes / 5, f"peak grew by {growth / 2**20:.0f} MiB"


def test_length_unknown_to_the_header_is_cut_at_the_limit_while_decoding(amplifier: Path, tmp_path: Path) -> None:
    unknown = flac_without_length(amplifier, tmp_path / "unknown-length.flac")

    outcome, growth = _decode_in_child(unknown, max_seconds=20)

    assert outcome == "too_long"
    assert growth < 4 * 20 * RATE * 4 + 16 * 2**20


@pytest.fixture(scope="module")
def local_clip(gtzan_dir: Path) -> Path:
    """A file on our disk that an upload must not be able to read: a real GTZAN clip."""
    return gtzan_dir / "genres" / "jazz" / "jazz.00000.ogg"


def _playlist(kind: str, folder: Path, names: Path | str) -> Path:
    """An upload called upload.mp3 holding an HLS playlist or an ffconcat script that names `names`."""
    folder.mkdir(parents=True)
    if kind == "hls":
        return hls_playlist(folder / "upload.mp3", names)
    if isinstance(names, Path):  # the concat demuxer's "safe" mode only takes plain relative names
        (folder / "clip.ogg").symlink_to(names)
        names = "clip.ogg"
    return ffconcat_script(folder / "upload.mp3", names)


@pytest.mark.parametrize("kind", ["hls", "ffconcat"])
def test_playlist_upload_is_refused_without_reading_what_it_names(kind: str, local_clip: Path, tmp_path: Path) -> None:
    upload = _playlist(kind, tmp_path / "upload", local_clip)
    plain = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(upload), "-ac", "1", "-f", "f32le", "pipe:1"],
        capture_output=True,
        check=False,
    )
    assert len(plain.stdout) > 20 * 22050 * 4, "ffmpeg as it was called before plays this playlist"

    with pytest.raises(UnsupportedAudio) as caught:
        load_audio(upload, RATE)
    assert caught.value.code == "unsupported_audio"


@pytest.mark.parametrize("kind", ["hls", "ffconcat"])
def test_refusal_says_the_same_whatever_the_playlist_names(kind: str, local_clip: Path, tmp_path: Path) -> None:
    named = {
        "a clip on our disk": local_clip,
        "a file that does not exist": local_clip.with_name("jazz.99999.ogg"),
        "a local URL": "http://127.0.0.1:9/song.ogg",
    }
    messages = set()
    for index, names in enumerate(named.values()):
        with pytest.raises(UnsupportedAudio) as caught:
            load_audio(_playlist(kind, tmp_path / str(index), names), RATE)
        messages.add(caught.value.message)
    assert messages == {"upload.mp3 is not a readable audio file"}
