"""GPU sweep of distillation recipes for the small 2D CNN (Keras 3, torch backend). Experiment tool, not product."""

import json
import multiprocessing as mp
import os
import sys
import time

import numpy as np


def run(cfg):
    os.environ.setdefault("KERAS_BACKEND", "torch")
    sys.path.insert(0, "services/trainer")
    import torch

    torch.set_num_threads(2)
    import keras

    import genre_trainer.models.model as gm

    d = np.load(".gpu/data.npz")
    deq = lambda a: a.astype(np.float32) * float(d["step"]) + float(d["lo"])
    spec = deq(d["tr_spec"])
    off = d["tr_off"]
    ty = d["tr_y"]
    starts = d["tr_starts"]
    goff = d["tr_grid_off"]
    temb = d["tr_emb"].astype(np.float32)
    beta = cfg.get("beta", 0)
    tlp = d["tr_teacher_oof" if cfg.get("oof", 1) else "tr_teacher_in"]
    vx = deq(d["va_x"])[..., None]
    vy = d["va_y"]
    vs = d["va_song"]
    n_lab = len(d["labels"])
    FR = vx.shape[2]
    NM = vx.shape[1]
    by = {}
    for i, y in enumerate(ty):
        by.setdefault(int(y), []).append(i)
    labs = np.array(sorted(by))
    lam, T, bs, seed = cfg["lam"], cfg["T"], 32, cfg["seed"]

    class Crops(keras.utils.PyDataset):
        def __init__(self):
            super().__init__()
            self.epoch = 0

        def __len__(self):
            return cfg["crops"] // bs

        def on_epoch_end(self):
            self.epoch += 1

        def __getitem__(self, i):
            rng = np.random.default_rng([seed, self.epoch, i])
            x = np.empty((bs, NM, FR, 1), np.float32)
            y = np.zeros((bs, n_lab), np.float32)
            e = np.empty((bs, temb.shape[1]), np.float32)
            for r, lab in enumerate(rng.choice(labs, bs)):
                s = by[int(lab)][rng.integers(len(by[int(lab)]))]
                L = off[s + 1] - off[s]
                j = rng.integers(goff[s], goff[s + 1])
                f = int(np.clip(starts[j] + rng.integers(-cfg["jitter"], cfg["jitter"] + 1), 0, L - FR))
                x[r, :, :, 0] = spec[:, off[s] + f : off[s] + f + FR]
                p = np.exp(tlp[j] / T)
                p /= p.sum()
                e[r] = temb[j]
                y[r, lab] = 1 - lam
                y[r] += lam * p
            if cfg.get("gain", 0):
                x += rng.uniform(-cfg["gain"], cfg["gain"], (bs, 1, 1, 1)).astype(np.float32)
            for _ in range(cfg.get("fmask", 0)):
                for r in range(bs):
                    w = rng.integers(0, 17)
                    f0 = rng.integers(0, NM - w + 1)
                    x[r, f0 : f0 + w] = x[r].mean()
            for _ in range(cfg.get("tmask", 0)):
                for r in range(bs):
                    w = rng.integers(0, 21)
                    t0 = rng.integers(0, FR - w + 1)
                    x[r, :, t0 : t0 + w] = x[r].mean()
            return (x, (y, e)) if beta else (x, y)

    keras.utils.set_random_seed(seed)
    gm.FILTERS = tuple(int(f * cfg.get("width", 1)) for f in (16, 32, 64, 128))
    model = gm.build_model((NM, FR, 1), n_lab, dropout=cfg.get("dropout", 0.3))
    trx = np.stack([spec[:, off[s] : off[s] + FR] for s in range(len(ty))])[..., None]  # adapt on first windows
    gm.adapt_normalization(model, np.concatenate([trx, vx[:0]]))
    ds = Crops()
    sched = keras.optimizers.schedules.CosineDecay(cfg.get("lr", 1e-3), cfg["epochs"] * len(ds), alpha=0.01)
    opt = keras.optimizers.Adam(sched, use_ema=True, ema_momentum=cfg.get("ema", 0.995))
    served = model
    if beta:
        emb = keras.layers.Dense(temb.shape[1], name="emb")(model.get_layer("pool").output)
        model = keras.Model(model.input, [model.output, emb])
        model.compile(optimizer=opt, loss=["categorical_crossentropy", "mse"], loss_weights=[1.0, beta])
    else:
        model.compile(optimizer=opt, loss="categorical_crossentropy")
    hist = []

    class Val(keras.callbacks.Callback):
        def on_epoch_end(self, e, logs=None):
            if e % 5 == 4 or e == cfg["epochs"] - 1:
                pr = served.predict(vx, batch_size=512, verbose=0)
                hist.append(float(np.mean([pr[vs == k].mean(0).argmax() == vy[vs == k][0] for k in np.unique(vs)])))

    t = time.time()
    model.fit(ds, epochs=cfg["epochs"], callbacks=[Val()], verbose=0)
    pr = served.predict(vx, batch_size=512, verbose=0)  # EMA weights written by fit
    sp = np.array([pr[vs == k].mean(0).argmax() for k in np.unique(vs)])
    st = np.array([vy[vs == k][0] for k in np.unique(vs)])
    from sklearn.metrics import balanced_accuracy_score, f1_score

    res = dict(
        cfg,
        song=float(np.mean(sp == st)),
        bal=float(balanced_accuracy_score(st, sp)),
        f1=float(f1_score(st, sp, average="macro")),
        window=float(np.mean(pr.argmax(1) == vy)),
        hist_noema=hist,
        seconds=round(time.time() - t),
        params=served.count_params(),
    )
    return res


if __name__ == "__main__":
    grid = json.loads(sys.argv[1])
    base = dict(lam=0.0, T=1.0, crops=3000, epochs=40, jitter=10, seed=1234)
    cfgs = [dict(base, **g) for g in grid]
    out = os.environ.get("OUT", "/tmp")
    with mp.get_context("spawn").Pool(int(os.environ.get("PAR", 8))) as pool, open(f"{out}/results.jsonl", "w") as fh:
        for r in pool.imap_unordered(run, cfgs):
            fh.write(json.dumps(r) + "\n")
            fh.flush()
            print({k: r[k] for k in r if k not in ("hist_noema",)}, "hist", r["hist_noema"], flush=True)
