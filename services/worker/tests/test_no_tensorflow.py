"""The worker runs the exported model on LiteRT and never loads TensorFlow, Keras or the trainer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CHECK = """
import json, sys
import genre_worker.tasks, genre_worker.cli, genre_worker.cli.folders, genre_worker.cli.pool, genre_worker.cli.tagging
from genre_worker.classifier import Classifier
result = Classifier(sys.argv[1]).classify_file(sys.argv[2])
heavy = sorted(name for name in sys.modules
               if name.split(".")[0] in {"tensorflow", "keras", "tf_keras", "torch", "genre_trainer"})
print(json.dumps({"heavy": heavy, "windows": len(result.windows)}))
"""


def test_worker_classifies_without_importing_tensorflow(model_dir: Path, clip_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", CHECK, str(model_dir), str(clip_path)], capture_output=True, text=True, check=True
    )
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["windows"] == 10  # it really ran the model
    assert report["heavy"] == []
