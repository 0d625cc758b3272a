"""GridSearchCV(n_jobs=2) vs n_jobs=1 over ANNClassifier, and the oversubscription it avoids.

Three configurations of the same grid (breast_cancer, standardised, 8 candidates x 3 folds):
* ``n_jobs=1``;
* ``n_jobs=2`` with skdeep's per-worker thread limit (each loky worker gets 1 thread);
* ``n_jobs=2`` with the limit disabled (``SKDEEP_NUM_THREADS=<cores>`` in the workers): the
  oversubscribed reference (each TensorFlow worker uses every core).
Each configuration runs in a fresh interpreter (skdeep already imported there) and fits the
search twice: "cold" is the first search of a session (the workers start, import TensorFlow
and compile their models), "warm" the next one (joblib reuses its workers, skdeep its compiled
models). Target: n_jobs=2 >= 1.6x faster than n_jobs=1.

The machine's own ceiling is measured in the same run: two CPU-bound pure-Python processes
against one (``machine_speedup_2_processes``; 2.0 on two idle, dedicated cores).
Run: ``python benchmarks/bench_parallel.py [--repeats 2]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from _common import run_json, write

WORKER = r"""
import json, time
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from skdeep import ANNClassifier
X, y = load_breast_cancer(return_X_y=True)
pipe = make_pipeline(StandardScaler(), ANNClassifier(epochs=30, random_state=0))
grid = {"annclassifier__units": [16, 64], "annclassifier__dropout": [0.0, 0.2],
        "annclassifier__learning_rate": [1e-3, 1e-2]}
seconds = []
for _ in range(2):  # cold, then warm
    t0 = time.perf_counter()
    search = GridSearchCV(pipe, grid, cv=3, n_jobs=N_JOBS).fit(X, y)
    seconds.append(time.perf_counter() - t0)
print(json.dumps({"cold": seconds[0], "warm": seconds[1], "best_score": search.best_score_}))
"""


BURN = "x = 0\nfor i in range(40_000_000):\n    x += i\n"


def machine_speedup() -> float:
    """Throughput of two concurrent CPU-bound processes over one (2.0 = two free cores)."""

    def wall(n: int) -> float:
        t0 = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", BURN]) for _ in range(n)]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - t0

    return 2 * wall(1) / wall(2)


def run(n_jobs: int, env_extra: dict) -> dict:
    code = WORKER.replace("N_JOBS", str(n_jobs))
    return run_json(code, {"TF_CPP_MIN_LOG_LEVEL": "3", **env_extra})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    cores = os.cpu_count() or 2
    configs = {
        "n_jobs=1": (1, {}),
        "n_jobs=2": (2, {}),
        "n_jobs=2_oversubscribed": (2, {"SKDEEP_NUM_THREADS": str(cores)}),
    }
    times: dict[str, dict[str, list[float]]] = {
        phase: {k: [] for k in configs} for phase in ("cold", "warm")
    }
    scores: dict[str, float] = {}
    machine: list[float] = []
    for _ in range(args.repeats):
        machine.append(machine_speedup())
        for name, (n_jobs, env) in configs.items():
            result = run(n_jobs, env)
            for phase in ("cold", "warm"):
                times[phase][name].append(result[phase])
            scores[name] = result["best_score"]
    median = {
        phase: {k: statistics.median(v) for k, v in by_config.items()}
        for phase, by_config in times.items()
    }

    def speedup(phase: str, name: str) -> float:
        return median[phase]["n_jobs=1"] / median[phase][name]

    payload = {
        "setup": "breast_cancer, Pipeline(StandardScaler, ANNClassifier(epochs=30)), "
        "8 candidates x 3 folds, each configuration searched twice in one session",
        "cores": cores,
        "median_seconds": median,
        "speedup_n_jobs_2": speedup("warm", "n_jobs=2"),
        "speedup_n_jobs_2_cold": speedup("cold", "n_jobs=2"),
        "speedup_n_jobs_2_oversubscribed": speedup("warm", "n_jobs=2_oversubscribed"),
        "speedup_n_jobs_2_oversubscribed_cold": speedup("cold", "n_jobs=2_oversubscribed"),
        "machine_speedup_2_processes": statistics.median(machine),
        "machine_speedup_raw": machine,
        "best_scores": scores,
        "raw_seconds": times,
        "target": "speedup_n_jobs_2 >= 1.6 (warm: workers started and models compiled)",
    }
    print(json.dumps(payload, indent=2))
    write("parallel", payload)


if __name__ == "__main__":
    main()
