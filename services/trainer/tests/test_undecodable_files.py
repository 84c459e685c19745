"""A dataset with files libsndfile opens and then fails on: the trainer skips and counts what is undecodable,
keeps what ffmpeg recovers, and finishes.

The broken FLAC is a real clip's metadata followed by noise (libsndfile opens it, its first read fails, and
ffmpeg finds no audio in it either); the MP3 is a real clip with junk in mid-stream (libsndfile gives up
there, ffmpeg plays it through). Before decoding fell back to ffmpeg, either one ended the whole run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import soundfile

from genre_core.params import DEFAULT_FEATURE_PARAMS
from genre_trainer.cli import main
from genre_trainer.data.dataset import decode_songs, scan_dataset
from genre_trainer.data.feature_store import load_features
from genre_trainer.data.windows import WindowOptions
from genre_trainer.evaluation.evaluate_artifact import ArtifactEvaluation
from testkit.awkward_audio import ffmpeg, flac_header_then_garbage, lame, with_junk

CNN_MODEL = Path(__file__).resolve().parents[3] / "models" / "cnn2d"
BROKEN = "blues/blues.90000.flac"
RECOVERED = "metal/metal.90000.mp3"


@pytest.fixture(scope="module")
def dataset(gtzan_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two real clips per genre (symlinks), one undecodable FLAC and one MP3 damaged in mid-stream."""
    root = tmp_path_factory.mktemp("undecodable")
    work = tmp_path_factory.mktemp("undecodable-sources")
    for genre in ("blues", "metal"):
        (root / genre).mkdir()
        for number in ("00000", "00001"):
            name = f"{genre}.{number}.ogg"
            (root / genre / name).symlink_to(gtzan_dir / "genres" / genre / name)
    flac = work / "blues.flac"
    ffmpeg("-i", gtzan_dir / "genres" / "blues" / "blues.00002.ogg", flac)
    flac_header_then_garbage(flac, root / BROKEN)
    wav = work / "metal.wav"
    ffmpeg("-i", gtzan_dir / "genres" / "metal" / "metal.00002.ogg", "-ar", "44100", "-ac", "2", wav)
    with_junk(lame(wav, work / "metal.mp3", "-b", "128"), root / RECOVERED, at=0.5, size=4000)
    for name in (BROKEN, RECOVERED):
        with soundfile.SoundFile(root / name) as sound, pytest.raises(soundfile.LibsndfileError):
            sound.read()  # opens, then fails: the kind of file that used to escape as a crash
    return root


def test_evaluate_skips_and_counts_the_undecodable_file_and_writes_its_figures(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "eval.json"

    assert main(["evaluate", "--model", str(CNN_MODEL), "--data", str(dataset), "--json", str(out)]) == 0

    result = ArtifactEvaluation.model_validate(json.loads(out.read_text()))
    assert (result.files_total, list(result.skipped)) == (6, [BROKEN])
    assert "not a readable audio file" in result.skipped[BROKEN] or "no audio" in result.skipped[BROKEN]
    assert result.evaluation.metrics.songs == 5  # the damaged MP3 is scored


def test_run_all_features_record_the_undecodable_file_and_keep_the_rest(dataset: Path) -> None:
    features = load_features(scan_dataset(dataset), WindowOptions(), cache_dir=None, progress=False)

    assert features.skipped == [BROKEN]
    assert "metal.90000" in features.song_ids.tolist() and len(features.song_ids) == 5


def test_training_decode_lists_the_undecodable_file_as_skipped(dataset: Path) -> None:
    decoded = decode_songs(scan_dataset(dataset), DEFAULT_FEATURE_PARAMS)

    assert decoded.skipped == [BROKEN]
    assert len(decoded.songs) == 5
