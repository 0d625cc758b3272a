"""RSS growth over many sequential fit/predict cycles: skdeep vs raw Keras vs scikeras.

Each contender runs in its own subprocess (a fresh interpreter, so one cannot pollute the other)
and reports RSS after a warm-up of 10 cycles and after N more. Cycles fit a new estimator /
model with a new seed each time and predict, as a search does.
Run: ``python benchmarks/bench_memory.py [--fits 200] [--reference-fits 40]``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from _common import run_json, write

WORKER = r"""
import json, os, sys, time
sys.path.insert(0, {bench_dir!r})
from _common import rss_mb
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler
X, y = load_breast_cancer(return_X_y=True)
X = StandardScaler().fit_transform(X).astype("float32")
kind, n = {kind!r}, {n}

def cycle(seed):
    if kind == "skdeep":
        from skdeep import ANNClassifier
        est = ANNClassifier(units=32, n_layers=2, epochs=2, random_state=seed).fit(X, y)
        est.predict(X)
    elif kind == "scikeras":
        import keras
        from scikeras.wrappers import KerasClassifier
        def build():
            m = keras.Sequential([keras.Input((30,)), keras.layers.Dense(32, activation="relu"),
                                  keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(1, activation="sigmoid")])
            m.compile(optimizer="adam", loss="binary_crossentropy")
            return m
        KerasClassifier(build, epochs=2, verbose=0, random_state=seed).fit(X, y).predict(X)
    else:
        import keras
        keras.utils.set_random_seed(seed)
        m = keras.Sequential([keras.Input((30,)), keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
        m.compile(optimizer="adam", loss="binary_crossentropy")
        m.fit(X, y, epochs=2, verbose=0)
        m.predict(X, verbose=0)

for i in range(10):
    cycle(i)
start, t0 = rss_mb(), time.perf_counter()
for i in range(n):
    cycle(100 + i)
print(json.dumps({{"kind": kind, "fits": n, "rss_start_mb": start, "rss_end_mb": rss_mb(),
                  "growth_mb": rss_mb() - start, "seconds": time.perf_counter() - t0}}))
"""


def run(kind: str, n: int) -> dict:
    return run_json(WORKER.format(bench_dir=str(Path(__file__).parent), kind=kind, n=n))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fits", type=int, default=200)
    parser.add_argument("--reference-fits", type=int, default=40)
    args = parser.parse_args()
    results = {
        "skdeep": run("skdeep", args.fits),
        "keras": run("keras", args.reference_fits),
        "scikeras": run("scikeras", args.reference_fits),
    }
    for r in results.values():
        r["growth_mb_per_fit"] = r["growth_mb"] / r["fits"]
    payload = {
        "setup": "breast_cancer, Dense32-Dense16-Dense1, 2 epochs per fit, new seed each fit",
        "results": results,
        "target": "skdeep RSS growth <= 50 MB over 200 fit/predict cycles",
        "skdeep_growth_mb": results["skdeep"]["growth_mb"],
    }
    print(json.dumps(payload, indent=2))
    write("memory", payload)


if __name__ == "__main__":
    main()
