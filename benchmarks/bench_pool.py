"""A search that comes back to its architectures: compiles, CPU time and memory per pool bound.

Twelve ``ANNClassifier`` architectures (``units`` 8-19) are fitted in turn, three rounds (as a
Bayesian or randomized search, or the stages of a coarse-to-fine search, come back to the
architectures they tried), on a 300-row, 10-feature table, 2 epochs per fit, each run in a
fresh interpreter:

* ``bound_8``: the earlier bound of the engine pool, at most 8 idle compiled models;
* ``default``: today's bound (64 idle engines and 512 MiB of their variables).

Reported: how many models were compiled (a new trace each), the CPU time of the 36 fits and
the growth of the process's RSS (TensorFlow never frees a traced graph, so an evicted engine
that is compiled again adds its graphs a second time).
Run: ``python benchmarks/bench_pool.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

from _common import run_json, write

RUN = r"""
import json, sys, time
sys.path.insert(0, {bench_dir!r})
from _common import rss_mb
from sklearn.datasets import make_classification
from skdeep import ANNClassifier
from skdeep._training import _engines

if {max_idle} is not None:
    _engines.POOL.max_idle = {max_idle}
X, y = make_classification(300, 10, random_state=0)
X = X.astype("float32")
compiles = [0]
register = _engines.POOL.register

def counted(engine, owner):
    compiles[0] += 1
    return register(engine, owner)

_engines.POOL.register = counted
ANNClassifier(epochs=1, random_state=0).fit(X, y)  # import and first trace
compiles[0], start, t0 = 0, rss_mb(), time.process_time()
for round_ in range(3):
    for units in range(8, 20):
        ANNClassifier(units=units, epochs=2, random_state=round_).fit(X, y)
print(json.dumps({{
    "fits": 36, "compiles": compiles[0], "cpu_seconds": time.process_time() - t0,
    "rss_growth_mb": rss_mb() - start,
}}))
"""


def run(max_idle: int | None) -> dict:
    return run_json(RUN.format(bench_dir=str(Path(__file__).parent), max_idle=max_idle))


def main() -> None:
    results = {"bound_8": run(8), "default": run(None)}
    old, new = results["bound_8"], results["default"]
    payload = {
        "setup": "12 ANNClassifier architectures x 3 rounds, 300 rows, 2 epochs per fit",
        "results": results,
        "cpu_ratio_bound_8_vs_default": old["cpu_seconds"] / new["cpu_seconds"],
        "rss_ratio_bound_8_vs_default": old["rss_growth_mb"] / new["rss_growth_mb"],
    }
    print(json.dumps(payload, indent=2))
    write("pool", payload)


if __name__ == "__main__":
    main()
