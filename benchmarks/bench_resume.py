"""A search killed half-way and resumed with ``memory=``: what trains again, what it costs.

A ``GridSearchCV`` of 24 ``ANNClassifier`` candidates x 3 folds (+ the refit: 73 fits) on
breast_cancer runs in a fresh interpreter three ways, each measured by the fits it trains and
its CPU time (``time.process_time`` of that interpreter, serial search):

* ``reference``: no ``memory``; the uninterrupted search;
* ``killed`` + ``resumed``: with ``memory=<folder>``; the first run is killed with SIGKILL (no
  clean-up of any kind) once about half of the fits are stored, the second is the same script
  run again;
* ``cached``: the same script once more, with every fit stored (the cost of loading alone).

The resumed run must train only the fits the killed one had not finished (plus at most the one
it was training when killed), and give the reference's ``cv_results_`` scores exactly. The
cost of keying a fit is timed apart: hashing 60,000 x 784 float32 values (MNIST-sized data).

Run: ``python benchmarks/bench_resume.py [--epochs 5]``.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import write

SEARCH = """
import json, sys, time
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler
from skdeep import ANNClassifier
from skdeep._training import _phases

memory, epochs = (None if sys.argv[1] == "-" else sys.argv[1]), int(sys.argv[2])
trained, real = [], _phases.train
def counted(*args, **kwargs):
    trained.append(1)
    return real(*args, **kwargs)
_phases.train = counted
X, y = load_breast_cancer(return_X_y=True)
X = StandardScaler().fit_transform(X).astype("float32")
grid = {"units": [8, 16, 32, 64], "dropout": [0.0, 0.2, 0.4], "learning_rate": [1e-3, 1e-2]}
est = ANNClassifier(epochs=epochs, n_layers=2, random_state=0, memory=memory)
start = time.process_time()
search = GridSearchCV(est, grid, cv=3, scoring="f1").fit(X, y)
cpu = time.process_time() - start
print(json.dumps({"trained": len(trained), "cpu_s": cpu,
                  "scores": search.cv_results_["mean_test_score"].tolist(),
                  "best": search.best_params_}))
"""


def run(memory: str | None, epochs: int) -> dict:
    argv = [sys.executable, "-c", SEARCH, memory or "-", str(epochs)]
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def stored(folder: Path) -> int:
    return len(list((folder / "skdeep-fits").glob("*.skdeep")))


def killed_run(folder: Path, epochs: int, after: int) -> int:
    """Start the search and SIGKILL it once ``after`` fits are stored; the count at the kill."""
    argv = [sys.executable, "-c", SEARCH, str(folder), str(epochs)]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while stored(folder) < after and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return stored(folder)


def hashing_seconds() -> float:
    import numpy as np

    from skdeep._training._fit_cache import _canonical_data

    images = np.random.default_rng(0).random((60_000, 784), dtype=np.float32)
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        _canonical_data(images)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    n_fits = 24 * 3 + 1
    reference = run(None, args.epochs)
    with tempfile.TemporaryDirectory(prefix="skdeep-bench-resume-") as tmp:
        folder = Path(tmp)
        at_kill = killed_run(folder, args.epochs, after=n_fits // 2)
        resumed = run(str(folder), args.epochs)
        cached = run(str(folder), args.epochs)
        on_disk = sum(f.stat().st_size for f in (folder / "skdeep-fits").iterdir())
    payload = {
        "search": {"candidates": 24, "folds": 3, "fits": n_fits, "epochs": args.epochs},
        "reference": {k: reference[k] for k in ("trained", "cpu_s")},
        "stored_when_killed": at_kill,
        "resumed": {k: resumed[k] for k in ("trained", "cpu_s")},
        "cached": {k: cached[k] for k in ("trained", "cpu_s")},
        "resumed_trains_only_the_rest": resumed["trained"] <= n_fits - at_kill + 1,
        "same_scores_as_reference": resumed["scores"] == reference["scores"],
        "cached_same_scores": cached["scores"] == reference["scores"],
        "same_best_params": resumed["best"] == reference["best"],
        "resumed_cpu_vs_reference": resumed["cpu_s"] / reference["cpu_s"],
        "cached_cpu_vs_reference": cached["cpu_s"] / reference["cpu_s"],
        "stored_mb": on_disk / 1e6,
        "hash_60000x784_float32_cpu_s": hashing_seconds(),
    }
    print(json.dumps(payload, indent=2))
    write("resume", payload)


if __name__ == "__main__":
    main()
