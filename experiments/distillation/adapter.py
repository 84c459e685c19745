"""Could musicnn run on the served features? A fixed mel-to-mel map and time resampling in front of it.

Fits the map on train songs (label-free), embeds every window of our 128-band 22050-Hz log-mel through it, and
scores a logistic regression on the validation songs.   .venv/bin/python experiments/distillation/adapter.py
"""

import time

import keras
import librosa
import numpy as np
from keras import layers, ops

from genre_core.audio import load_audio
from genre_core.features import log_mel
from genre_core.params import DEFAULT_FEATURE_PARAMS as P
from genre_trainer.data.dataset import decode_songs, genres_of, scan_dataset
from genre_trainer.data.splits import split_songs
from genre_trainer.models import musicnn as mn

files = scan_dataset("../shared/gtzan")
labels = genres_of(files)
genre_of = {f.song_id: f.genre for f in files}
split = split_songs(list(genre_of), list(genre_of.values()), seed=1234)
tr, va = split.parts["train"], split.parts["valid"]
byid = {f.song_id: f for f in files}
# 1. fit the mel->mel power map on 1-s averaged spectra of train songs (label-free)
t = time.time()
A, B = [], []
for s in tr[::3]:
    y22 = load_audio(byid[s].path, 22050)
    y16 = librosa.resample(y22, orig_sr=22050, target_sr=16000)
    po = 10 ** (log_mel(y22, P) / 10)  # (128, T)
    pm = librosa.feature.melspectrogram(y=y16, sr=16000, n_fft=512, hop_length=256, n_mels=96)  # (96, T')
    for sec in range(1, 28):
        A.append(po[:, int(sec * 22050 / 512) : int((sec + 1) * 22050 / 512)].mean(1))
        B.append(pm[:, int(sec * 62.5) : int((sec + 1) * 62.5)].mean(1))
A, B = np.array(A), np.array(B)
from scipy.optimize import nnls

M = np.stack([nnls(A, B[:, j])[0] for j in range(96)])  # (96, 128)
pred = A @ M.T
rel = np.abs(np.log10(10000 * pred + 1) - np.log10(10000 * B + 1)).mean()
print(f"map fit {time.time() - t:.0f}s; mean abs log10 error {rel:.4f} (log10 range ~0-4)", flush=True)
# time interpolation matrix 130 -> 187
pos = np.arange(187) * (256 / 16000) * (22050 / 512)
W = np.zeros((130, 187), np.float32)
lo = np.floor(pos).astype(int)
fr = pos - lo
for j in range(187):
    W[lo[j], j] += 1 - fr[j]
    W[min(lo[j] + 1, 129), j] += fr[j]
# 2. adapter + musicnn model
net = mn.load_msd_musicnn()
inp = keras.Input((128, 130, 1))
Mt = ops.convert_to_tensor(M.T.astype(np.float32))
Wt = ops.convert_to_tensor(W)


def adapt(x):
    p = ops.power(10.0, x[..., 0] / 10.0)  # (b,128,130)
    p = ops.einsum("bft,fm->bmt", p, Mt)  # (b,96,130)
    p = ops.einsum("bmt,tj->bjm", p, Wt)  # (b,187,96)
    return ops.log10(10000.0 * p + 1.0) / ops.log10(10.0) * ops.log10(10.0)


x = layers.Lambda(adapt)(inp)
emb = net(x)["embedding"]
model = keras.Model(inp, emb)
dec = decode_songs([f for f in files if f.song_id in set(tr) | set(va)], P)
out = {}
t = time.time()
for s in dec.songs:
    out[s.song_id] = model.predict(s.windows[..., None], verbose=0, batch_size=32)
print(f"embed {time.time() - t:.0f}s", flush=True)
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.preprocessing import StandardScaler

L = {g: i for i, g in enumerate(labels)}


def XY(ids):
    ids = [s for s in ids if s in out]
    return (
        np.concatenate([out[s] for s in ids]),
        np.concatenate([np.full(len(out[s]), L[genre_of[s]]) for s in ids]),
        np.concatenate([np.full(len(out[s]), k) for k, s in enumerate(ids)]),
        ids,
    )


Xt, yt, _, _ = XY(tr)
Xv, yv, gv, vids = XY(va)
sc = StandardScaler().fit(Xt)
for C in (0.003, 0.01, 0.03, 0.1):
    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(sc.transform(Xt), yt)
    pr = clf.predict_proba(sc.transform(Xv))
    sp = np.array([pr[gv == k].mean(0).argmax() for k in range(len(vids))])
    st = np.array([L[genre_of[s]] for s in vids])
    print(
        f"ADAPTER C={C} song {np.mean(sp == st):.3f} bal {balanced_accuracy_score(st, sp):.3f} "
        f" window {np.mean(pr.argmax(1) == yv):.3f}"
    )
