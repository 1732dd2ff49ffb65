"""The NumPy MLP of numpy_mlp.py on a list of shapes, for the width and batch sweeps of sweep.ts.

    python3 numpy_sweep.py POINTS.json
POINTS.json: [{"sizes": [...], "batch": B, "trainSamples": n, "inferSamples": m}, ...]. For every
point: train on n random samples (relu hidden layers, softmax + mean cross-entropy, plain SGD,
float32), then predict m samples in batches of B (softmax). Prints one JSON line: a list of
{"train": samples/s, "infer": samples/s}. OPENBLAS_NUM_THREADS is set by the caller.
"""
import json
import sys
import time

import numpy as np

from numpy_mlp import sgd_step


def point(sizes, batch, train_samples, infer_samples, rng):
    depth = len(sizes) - 1
    ws = [(rng.standard_normal((o, i)) * np.sqrt(2.0 / i)).astype(np.float32) for i, o in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros(o, dtype=np.float32) for o in sizes[1:]]
    count = max(train_samples, infer_samples)
    x = rng.random((count, sizes[0]), dtype=np.float32)
    y = np.eye(sizes[-1], dtype=np.float32)[rng.integers(0, sizes[-1], count)]
    lr = np.float32(0.01)
    t0 = time.perf_counter()
    for start in range(0, train_samples, batch):
        xb, yb = x[start : start + batch], y[start : start + batch]
        sgd_step(ws, bs, xb, yb, lr, loss=False)
    train = train_samples / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for start in range(0, infer_samples - batch + 1, batch):
        h = x[start : start + batch]
        for k in range(depth):
            h = h @ ws[k].T + bs[k]
            if k < depth - 1:
                h = np.maximum(h, 0)
        e = np.exp(h - h.max(axis=1, keepdims=True))
        e /= e.sum(axis=1, keepdims=True)
    infer = (infer_samples // batch * batch) / (time.perf_counter() - t0)
    return {"train": train, "infer": infer}


def main():
    if len(sys.argv) != 2:
        sys.exit("numpy_sweep.py: usage: numpy_sweep.py POINTS.json")
    with open(sys.argv[1]) as f:
        points = json.load(f)
    rng = np.random.default_rng(1)
    # warm-up: the first point once, untimed
    point(points[0]["sizes"], points[0]["batch"], points[0]["batch"] * 4, points[0]["batch"] * 4, rng)
    print(json.dumps([point(p["sizes"], p["batch"], p["trainSamples"], p["inferSamples"], rng) for p in points]))


if __name__ == "__main__":
    main()
