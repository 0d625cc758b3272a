"""Memory of a search over architectures: serial, and n_jobs=2 with and without worker recycling.

A 100-candidate, 3-fold ``RandomizedSearchCV`` over ``n_layers``, ``units``, ``batch_norm``,
``dropout`` and ``activation`` of an ``ANNClassifier`` on breast_cancer, run three ways, each
in a fresh interpreter:

* ``serial``: ``n_jobs=1``, every fit in the main process (TensorFlow keeps every traced
  architecture's graphs for the life of the process);
* ``workers``: ``n_jobs=2``; skdeep's loky workers are replaced once they have grown by
  ``SKDEEP_WORKER_MEMORY_MB`` (100 MB, see ``skdeep/_workers.py``);
* ``workers_loky_default``: ``n_jobs=2`` with ``SKDEEP_WORKER_MEMORY_MB=off`` (loky's own
  300 MB threshold).

Reported: RSS growth of the main process from before the search to after it, the peak RSS of
any worker, how many worker processes served the search, wall time and the best score (the
same candidates and seeds in each run, so the same best score).
Run: ``python benchmarks/bench_memory_architectures.py [--candidates 100]``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from _common import run_json, write

WORKER = r"""
import json, os, sys, threading, time
sys.path.insert(0, {bench_dir!r})
import psutil
from _common import rss_mb
import numpy as np
from scipy.stats import randint
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import RandomizedSearchCV
from sklearn.preprocessing import StandardScaler
from skdeep import ANNClassifier

X, y = load_breast_cancer(return_X_y=True)
X = StandardScaler().fit_transform(X).astype("float32")
space = {{
    "n_layers": randint(1, 4),
    "units": [8, 16, 24, 32, 48, 64, 96, 128],
    "batch_norm": [False, True],
    "dropout": [0.0, 0.1, 0.2, 0.3],
    "activation": ["relu", "elu", "tanh", "selu", "gelu"],
}}
est = ANNClassifier(epochs=3, random_state=0)
ANNClassifier(epochs=1, random_state=0).fit(X, y).predict(X)  # import and first trace
me = psutil.Process()
peaks, pids, stop = {{}}, set(), threading.Event()

def watch():
    while not stop.is_set():
        for child in me.children(recursive=True):
            try:
                rss = child.memory_info().rss / 1e6
            except psutil.Error:
                continue
            if "loky" in " ".join(child.cmdline()):
                pids.add(child.pid)
                peaks[child.pid] = max(peaks.get(child.pid, 0.0), rss)
        time.sleep(0.2)

thread = threading.Thread(target=watch, daemon=True)
thread.start()
start, t0 = rss_mb(), time.perf_counter()
search = RandomizedSearchCV(est, space, n_iter={candidates}, cv=3, n_jobs={n_jobs}, random_state=0)
search.fit(X, y)
seconds = time.perf_counter() - t0
stop.set(); thread.join()
print(json.dumps({{
    "n_jobs": {n_jobs}, "candidates": {candidates}, "fits": {candidates} * 3,
    "main_rss_start_mb": start, "main_growth_mb": rss_mb() - start,
    "worker_peak_rss_mb": max(peaks.values()) if peaks else None,
    "worker_processes": len(pids), "seconds": seconds,
    "best_score": float(search.best_score_), "best_params": search.best_params_,
}}, default=str))
"""


def run(n_jobs: int, candidates: int, memory: str | None) -> dict:
    env = {} if memory is None else {"SKDEEP_WORKER_MEMORY_MB": memory}
    code = WORKER.format(bench_dir=str(Path(__file__).parent), n_jobs=n_jobs, candidates=candidates)
    return run_json(code, env=env)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=100)
    args = parser.parse_args()
    results = {
        "serial": run(1, args.candidates, None),
        "workers": run(2, args.candidates, None),
        "workers_loky_default": run(2, args.candidates, "off"),
    }
    payload = {
        "setup": (
            f"RandomizedSearchCV, {args.candidates} candidates x 3 folds over n_layers, units, "
            "batch_norm, dropout, activation; ANNClassifier, breast_cancer, 3 epochs per fit"
        ),
        "results": results,
        "target": "RSS growth <= 100 MB over a 100-candidate, 3-fold search over architectures",
        "same_best_score": len({r["best_score"] for r in results.values()}) == 1,
    }
    if "serial" in results and "workers" in results:
        serial = results["serial"]["seconds"]
        payload["workers_vs_serial_seconds"] = results["workers"]["seconds"] / serial
    print(json.dumps(payload, indent=2))
    write("memory_architectures", payload)


if __name__ == "__main__":
    main()
