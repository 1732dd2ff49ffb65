"""The seed's approach as a benchmark contestant: a NumPy MLP trained with plain SGD.

Run by speed.ts in its own process (OPENBLAS_NUM_THREADS set by the caller):
    python3 numpy_mlp.py DIR SAMPLES
DIR holds meta.json ({"sizes": [...], "batch": B, "learningRate": lr, "count": n}),
x.f32 (count x sizes[0], samples as rows), y.f32 (count x sizes[-1], one-hot) and
params.f32 (per layer: W as n_out x n_in row-major, then b; Nabla's initial weights).
Trains one pass over the first SAMPLES samples in their stored order (relu hidden layers,
softmax + mean cross-entropy per batch, W -= lr * dW), writes the trained parameters to
DIR/out.f32 in the same layout and prints one JSON line with the timings.
"""
import json
import os
import sys
import time

import numpy as np


def sgd_step(ws, bs, xb, yb, lr, loss=True):
    """One SGD step on the batch (xb, yb), in place on ws and bs; returns its mean loss (or nan).

    relu hidden layers, softmax + mean cross-entropy, W -= lr * dW: Nabla's training step.
    """
    depth = len(ws)
    m = xb.shape[0]
    # Forward: h_k = relu(h_{k-1} W_k^T + b_k), logits on the last layer.
    hs = [xb]
    for k in range(depth):
        z = hs[-1] @ ws[k].T + bs[k]
        hs.append(np.maximum(z, 0) if k < depth - 1 else z)
    logits = hs[-1]
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    sums = e.sum(axis=1, keepdims=True)
    p = e / sums
    value = float(-(yb * (shifted - np.log(sums))).sum() / m) if loss else float("nan")
    # Backward: dL/dz of the mean cross-entropy, then down the layers.
    dz = (p - yb) / np.float32(m)
    for k in range(depth - 1, -1, -1):
        dw = dz.T @ hs[k]
        db = dz.sum(axis=0)
        if k > 0:
            dz = (dz @ ws[k]) * (hs[k] > 0)
        ws[k] -= lr * dw
        bs[k] -= lr * db
    return value


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("numpy_mlp.py: usage: numpy_mlp.py DIR SAMPLES")
    folder, samples = sys.argv[1], int(sys.argv[2])
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    sizes, batch, lr, count = meta["sizes"], meta["batch"], np.float32(meta["learningRate"]), meta["count"]
    if not 0 < samples <= count:
        sys.exit(f"numpy_mlp.py: SAMPLES must be in 1..{count}, got {samples}")
    x = np.fromfile(os.path.join(folder, "x.f32"), dtype=np.float32).reshape(count, sizes[0])
    y = np.fromfile(os.path.join(folder, "y.f32"), dtype=np.float32).reshape(count, sizes[-1])
    flat = np.fromfile(os.path.join(folder, "params.f32"), dtype=np.float32)
    ws, bs, at = [], [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        ws.append(flat[at : at + n_out * n_in].reshape(n_out, n_in).copy())
        at += n_out * n_in
        bs.append(flat[at : at + n_out].copy())
        at += n_out
    if at != flat.size:
        sys.exit(f"numpy_mlp.py: params.f32 has {flat.size} values, expected {at}")
    depth = len(ws)

    t0 = time.perf_counter()
    c0 = time.process_time()
    last_loss = float("nan")
    for start in range(0, samples, batch):
        xb = x[start : min(start + batch, samples)]
        yb = y[start : min(start + batch, samples)]
        last_loss = sgd_step(ws, bs, xb, yb, lr)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    if not np.isfinite(last_loss):
        sys.exit(f"numpy_mlp.py: loss is not finite ({last_loss})")

    out = np.concatenate([a for k in range(depth) for a in (ws[k].ravel(), bs[k])]).astype(np.float32)
    out.tofile(os.path.join(folder, "out.f32"))
    print(json.dumps({
        "seconds": seconds,
        "cpuSeconds": cpu,
        "lastBatchLoss": last_loss,
        "numpy": np.__version__,
        "threads": os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
    }))


if __name__ == "__main__":
    main()
