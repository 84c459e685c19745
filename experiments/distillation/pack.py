"""Pack student inputs + teacher targets for GPU sweeps (uint8-quantized dB spectrograms)."""

import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

from genre_core.params import DEFAULT_FEATURE_PARAMS as P
from genre_trainer.data.dataset import decode_songs, genres_of, scan_dataset
from genre_trainer.data.splits import split_songs

C = float(sys.argv[2]) if len(sys.argv) > 2 else 0.01
grid = np.load(sys.argv[3] if len(sys.argv) > 3 else "var/distill/grid40.npy", allow_pickle=True).item()["out"]
files = scan_dataset("../shared/gtzan")
labels = genres_of(files)
genre_of = {f.song_id: f.genre for f in files}
split = split_songs(list(genre_of), list(genre_of.values()), seed=1234)
tr, va = split.parts["train"], split.parts["valid"]
L = {g: i for i, g in enumerate(labels)}


def fit(ids):
    X = np.concatenate([grid[s]["emb"].astype(np.float32) for s in ids])
    y = np.concatenate([np.full(len(grid[s]["emb"]), L[genre_of[s]]) for s in ids])
    sc = StandardScaler().fit(X)
    clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced").fit(sc.transform(X), y)
    return lambda Z: clf.predict_log_proba(sc.transform(Z.astype(np.float32)))


oof = {}
ids = np.array(tr)
ys = np.array([L[genre_of[s]] for s in ids])
for a, b in StratifiedKFold(5, shuffle=True, random_state=0).split(ids, ys):
    f = fit(list(ids[a]))
    for s in ids[b]:
        oof[s] = f(grid[s]["emb"])
full = fit(tr)
dec = decode_songs([f for f in files if f.song_id in set(tr) | set(va)], P, keep_spectrograms=True)
songs = {s.song_id: s for s in dec.songs}
lo, step = -100.0, 0.6
q = lambda a: np.clip(np.round((a - lo) / step), 0, 255).astype(np.uint8)
allmax = max(float(s.spectrogram.max()) for s in dec.songs)
print("dB range max", allmax, "min", min(float(s.spectrogram.min()) for s in dec.songs))
tr_ok = [s for s in tr if s in songs]
va_ok = [s for s in va if s in songs]
spec = [q(songs[s].spectrogram) for s in tr_ok]
off = np.cumsum([0] + [x.shape[1] for x in spec])
out = dict(
    labels=np.array(labels),
    lo=lo,
    step=step,
    tr_spec=np.concatenate(spec, 1),
    tr_off=off,
    tr_y=np.array([L[genre_of[s]] for s in tr_ok]),
    tr_starts=np.concatenate([grid[s]["starts"] for s in tr_ok]),
    tr_grid_off=np.cumsum([0] + [len(grid[s]["starts"]) for s in tr_ok]),
    tr_teacher_oof=np.concatenate([oof[s] for s in tr_ok]).astype(np.float32),
    tr_teacher_in=np.concatenate([full(grid[s]["emb"]) for s in tr_ok]).astype(np.float32),
    va_x=np.concatenate([q(songs[s].windows) for s in va_ok]),
    va_y=np.concatenate([np.full(len(songs[s].windows), L[genre_of[s]]) for s in va_ok]),
    va_song=np.concatenate([np.full(len(songs[s].windows), k) for k, s in enumerate(va_ok)]),
)
np.savez_compressed(sys.argv[1], **out)
# --- embedding targets: PCA-128 of train grid embeddings, standardized (fit on train only)
from sklearn.decomposition import PCA

E = np.concatenate([grid[s]["emb"].astype(np.float32) for s in tr_ok])
sc = StandardScaler().fit(E)
pca = PCA(128, random_state=0).fit(sc.transform(E))
Z = pca.transform(sc.transform(E))
Z /= Z.std(0)
out["tr_emb"] = Z.astype(np.float16)
np.savez_compressed(sys.argv[1], **out)
