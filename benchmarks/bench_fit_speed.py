"""A warm ANNClassifier fit against skdeep 0.1 and raw Keras, and how far both are from the limit.

The fit: breast_cancer (standardised, 75/25 split), Dense64-Dense32-Dense1, Adam 1e-3, batch
32, 20 epochs, a new seed each fit (as in a search; the first fit of each process is a warm-up).
Three contenders, each in its own fresh interpreter, their rounds interleaved so that machine
load hits all of them alike:

* ``skdeep``: this checkout;
* ``skdeep_0_1``: the previous release, exported from git (commit ``BASELINE``) into a temporary
  folder and imported from there (it needs scikeras, a dev dependency);
* ``keras``: the same network written by hand in Keras (build, compile, fit), as users do.

Per fit: wall and CPU time (``time.process_time``); per contender: test accuracy, and whether
two fits with the same seed give identical predictions. The limit: the FLOPs of one epoch
(forward and backward, 3 x 2 x rows x weights) at this CPU's measured float32 GEMM rate, next
to each contender's time per epoch.

Run: ``python benchmarks/bench_fit_speed.py [--rounds 5] [--fits 6]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import write

#: the last commit of skdeep 0.1
BASELINE = "8fb3c72"
ROOT = Path(__file__).resolve().parents[1]

FIT = """
import json, sys, time
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
kind, n_fits, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
X, y = load_breast_cancer(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
scaler = StandardScaler().fit(X_tr)
X_tr, X_te = (scaler.transform(a).astype("float32") for a in (X_tr, X_te))
if kind == "keras":
    import keras
    def fit(seed):
        keras.utils.set_random_seed(seed)
        model = keras.Sequential([keras.Input((X.shape[1],)),
            keras.layers.Dense(64, activation="relu", kernel_initializer="he_uniform"),
            keras.layers.Dense(32, activation="relu", kernel_initializer="he_uniform"),
            keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
        model.fit(X_tr, y_tr.reshape(-1, 1).astype("float32"), epochs=epochs, batch_size=32,
                  verbose=0)
        return model.predict(X_te, verbose=0)[:, 0]
else:
    from skdeep import ANNClassifier
    def fit(seed):
        est = ANNClassifier(n_layers=2, units=64, units_decay=0.5, epochs=epochs,
                            batch_size=32, random_state=seed)
        return est.fit(X_tr, y_tr).predict_proba(X_te)[:, 1]
first = fit(0)  # warm-up: first traces
walls, cpus, accuracies = [], [], []
for seed in range(1, n_fits + 1):
    wall, cpu = time.perf_counter(), time.process_time()
    proba = fit(seed)
    walls.append(time.perf_counter() - wall)
    cpus.append(time.process_time() - cpu)
    accuracies.append(float(np.mean((proba > 0.5) == y_te)))
again = fit(0)
print(json.dumps({"wall": walls, "cpu": cpus, "accuracy": accuracies,
                  "same_seed_identical": bool(np.array_equal(first, again)),
                  "n_train": len(X_tr), "n_features": X.shape[1]}))
"""


def export_baseline(folder: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", BASELINE, "skdeep"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def run(kind: str, n_fits: int, epochs: int, path: Path | None) -> dict:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    if path is not None:
        env["PYTHONPATH"] = str(path)
    argv = [sys.executable, "-c", FIT, kind, str(n_fits), str(epochs)]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=True, cwd=path)
    return json.loads(done.stdout.strip().splitlines()[-1])


def gemm_gflops() -> float:
    """This CPU's float32 matrix-multiply rate (best of 5, 1024 x 1024)."""
    import numpy as np

    a = np.random.default_rng(0).random((1024, 1024), dtype=np.float32)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - start)
    return 2 * 1024**3 / best / 1e9


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--fits", type=int, default=6, help="timed fits per process")
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args()
    results: dict[str, dict] = {k: {"wall": [], "cpu": [], "accuracy": []} for k in
                                ("skdeep", "skdeep_0_1", "keras")}  # fmt: skip
    checks = {}
    with tempfile.TemporaryDirectory(prefix="skdeep-0.1-") as tmp:
        baseline = export_baseline(Path(tmp))
        paths = {"skdeep": ROOT, "skdeep_0_1": baseline, "keras": None}
        for r in range(args.rounds):
            order = list(paths) if r % 2 == 0 else list(reversed(paths))
            for kind in order:
                out = run("keras" if kind == "keras" else "skdeep", args.fits, args.epochs,
                          paths[kind])  # fmt: skip
                for key in ("wall", "cpu", "accuracy"):
                    results[kind][key] += out[key]
                checks[kind] = out["same_seed_identical"]
                shape = (out["n_train"], out["n_features"])
    median = {k: {m: statistics.median(v[m]) for m in ("wall", "cpu")} for k, v in results.items()}
    weights = shape[1] * 64 + 64 + 64 * 32 + 32 + 32 + 1
    epoch_mflop = 3 * 2 * shape[0] * weights / 1e6
    rate = gemm_gflops()
    limit_ms = epoch_mflop / 1e3 / rate * 1e3
    epoch_ms = {k: v["wall"] / args.epochs * 1e3 for k, v in median.items()}
    payload = {
        "setup": {"data": "breast_cancer 75/25", "network": "Dense64-Dense32-Dense1",
                  "epochs": args.epochs, "batch_size": 32, "rounds": args.rounds,
                  "fits_per_round": args.fits, "baseline_commit": BASELINE},
        "median_fit_s": median,
        "mean_test_accuracy": {k: statistics.mean(v["accuracy"]) for k, v in results.items()},
        "same_seed_identical": checks,
        "speedup_vs_skdeep_0_1": median["skdeep_0_1"]["wall"] / median["skdeep"]["wall"],
        "cpu_speedup_vs_skdeep_0_1": median["skdeep_0_1"]["cpu"] / median["skdeep"]["cpu"],
        "speedup_vs_keras": median["keras"]["wall"] / median["skdeep"]["wall"],
        "limit": {"epoch_mflop": epoch_mflop, "gemm_gflops": rate, "epoch_ms": limit_ms},
        "epoch_ms": epoch_ms,
        "times_the_limit": {k: v / limit_ms for k, v in epoch_ms.items()},
        "raw": results,
    }  # fmt: skip
    print(json.dumps({k: v for k, v in payload.items() if k != "raw"}, indent=1))
    write("fit_speed", payload)


if __name__ == "__main__":
    main()
