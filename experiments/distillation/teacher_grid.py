"""Teacher embeddings (MSD musicnn) of every GTZAN clip on a grid of 3-s crops: one every STRIDE student frames.

.venv/bin/python experiments/distillation/teacher_grid.py var/distill/grid40.npy 40
"""

import csv
import sys
import time

import librosa
import numpy as np

from genre_trainer.models import musicnn as mn

G = "../shared/gtzan"
STRIDE = int(sys.argv[2]) if len(sys.argv) > 2 else 40
with open(f"{G}/manifest.csv") as manifest:
    rows = list(csv.DictReader(manifest))
m = mn.load_msd_musicnn()
out = {}
t = time.time()
for i, r in enumerate(rows):
    y, _ = librosa.load(f"{G}/{r['file']}", sr=16000)
    n22 = round(len(y) * 22050 / 16000)
    T = 1 + n22 // 512
    S = librosa.feature.melspectrogram(y=y, sr=16000, hop_length=256, n_fft=512, n_mels=96).T
    S = np.log10(10000 * S.astype(np.float16).astype(np.float32) + 1)
    starts = list(range(0, T - 130 + 1, STRIDE))
    patches = []
    for f in starts:
        g = min(round(f * 512 / 22050 * 16000 / 256), S.shape[0] - 187)
        patches.append(S[g : g + 187])
    o = m.predict(np.stack(patches), verbose=0, batch_size=64)
    out[r["clip"]] = {
        "starts": np.array(starts),
        "emb": o["embedding"].astype(np.float16),
    }
    if i % 50 == 0:
        print(i, time.time() - t, flush=True)
print("extract s", time.time() - t)
np.save(sys.argv[1], {"rows": rows, "out": out}, allow_pickle=True)
