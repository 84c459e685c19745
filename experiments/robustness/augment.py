"""Embed GTZAN's train songs under mastering and recording augmentations (and optionally another loudness
target), to see whether a genre head fit on them too is more robust.

    .venv/bin/python experiments/robustness/augment.py [target_lufs] [out.npz]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.conditions import loudness, pink_noise
from genre_core.audio import load_audio
from genre_core.preprocessing import LOUDNESS_SCREENED, song_features
from genre_trainer.data.dataset import scan_dataset
from genre_trainer.data.splits import split_songs
from genre_trainer.models import transfer

RATE = 22050
FILTERS = {
    "limit+9": "volume=9dB,alimiter=limit=0.9:level=false",
    "limit+15": "volume=15dB,alimiter=limit=0.9:attack=2:release=30:level=false",
    "compress": "acompressor=threshold=-24dB:ratio=6:attack=5:release=120:makeup=8",
    "bright": "treble=g=5:f=3000,bass=g=-4:f=150",
    "dark": "treble=g=-6:f=3000,bass=g=4:f=150",
}


def through_ffmpeg(audio: np.ndarray, chain: str) -> np.ndarray:
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.wav", Path(folder) / "out.wav"
        soundfile.write(source, audio, RATE, subtype="FLOAT")
        subprocess.run(
            [
                "ffmpeg",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(source),
                "-af",
                chain,
                "-c:a",
                "pcm_f32le",
                str(target),
            ],
            check=True,
        )
        return soundfile.read(target, dtype="float32")[0]


def main(target: float, out: Path) -> None:
    preprocessing = LOUDNESS_SCREENED.model_copy(update={"loudness_target_lufs": target})
    params = transfer.PARAMS
    files = scan_dataset(Path("../shared/gtzan"))
    split = split_songs([f.song_id for f in files], [f.genre for f in files], seed=1234)
    parts = {song: part for part, ids in split.parts.items() for song in ids}
    labels = sorted({f.genre for f in files})
    embedder = transfer.build_embedder()
    wanted = ["clean", *FILTERS, "noise"] if target == LOUDNESS_SCREENED.loudness_target_lufs else ["clean"]
    arrays: dict[str, list] = {}
    started = time.monotonic()
    for file in files:
        part = parts.get(file.song_id)
        if part not in ("train", "valid") or (part == "valid" and len(wanted) > 1):
            continue
        try:
            audio = load_audio(file.path, RATE)
        except Exception:
            continue
        for name in wanted:
            if name == "clean":
                version = audio
            elif name == "noise":
                noise = pink_noise(len(audio), hash(file.song_id) % 1000)
                version = audio + noise * np.float32(10 ** ((loudness(audio) - 25 - loudness(noise)) / 20))
            else:
                version = through_ffmpeg(audio, FILTERS[name])
            from genre_core.audio import resample

            features = song_features(resample(version, RATE, params.sample_rate), params, preprocessing)
            embeddings = transfer.embed(embedder, features.windows[~features.silent][..., np.newaxis])
            key = f"{part}:{name}"
            arrays.setdefault(f"{key}:embeddings", []).append(embeddings)
            arrays.setdefault(f"{key}:songs", []).extend([file.song_id] * len(embeddings))
            arrays.setdefault(f"{key}:labels", []).extend([labels.index(file.genre)] * len(embeddings))
    print("done", time.monotonic() - started, flush=True)
    np.savez(out, **{k: np.concatenate(v) if k.endswith("embeddings") else np.array(v) for k, v in arrays.items()})


if __name__ == "__main__":
    target = float(sys.argv[1]) if len(sys.argv) > 1 else -20.0
    main(target, Path(sys.argv[2] if len(sys.argv) > 2 else f"var/robustness/augment{target:g}.npz"))
