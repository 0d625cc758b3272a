"""Import time of skdeep against the Keras import it cannot avoid, and what it leaves unloaded.

Each measurement is a fresh interpreter: ``import keras`` alone, then ``import keras`` followed
by ``from skdeep import ANNClassifier`` (the difference is skdeep's own cost; ``import skdeep``
alone imports nothing heavy), interleaved over ``--repeats``.
Also records which optional heavy modules ``import skdeep`` loaded on top of what ``import
keras`` already loaded (scikit-optimize, dask, distributed, skdeep's plotting module,
matplotlib's pyplot): none should be. (Keras 3.15 itself imports matplotlib's pyplot.)
Run: ``python benchmarks/bench_import.py [--repeats 5]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics

from _common import run_json, write

PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
import keras
t1 = time.perf_counter()
heavy = ["skopt", "dask", "distributed", "skdeep.plotting", "matplotlib.pyplot"]
by_keras = [m for m in heavy if m in sys.modules]
if WITH_SKDEEP:
    from skdeep import ANNClassifier  # `import skdeep` alone is lazy: load the estimators
t2 = time.perf_counter()
print(json.dumps({"keras": t1 - t0, "skdeep": t2 - t1, "by_keras": by_keras,
                  "loaded": [m for m in heavy if m in sys.modules and m not in by_keras]}))
"""


def probe(with_skdeep: bool) -> dict:
    code = PROBE.replace("WITH_SKDEEP", str(with_skdeep))
    return run_json(code, {"TF_CPP_MIN_LOG_LEVEL": "3"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    keras_alone, keras_then, skdeep_only, loaded, by_keras = [], [], [], [], []
    for _ in range(args.repeats):
        keras_alone.append(probe(False)["keras"])
        result = probe(True)
        keras_then.append(result["keras"])
        skdeep_only.append(result["skdeep"])
        loaded, by_keras = result["loaded"], result["by_keras"]
    payload = {
        "setup": "fresh interpreter per measurement, Keras backend "
        + os.environ.get("KERAS_BACKEND", "tensorflow"),
        "median_seconds": {
            "import_keras": statistics.median(keras_alone + keras_then),
            "import_skdeep_after_keras": statistics.median(skdeep_only),
        },
        "skdeep_share_of_total": statistics.median(
            s / (k + s) for k, s in zip(keras_then, skdeep_only)
        ),
        "optional_modules_loaded_by_import_skdeep": loaded,
        "optional_modules_already_loaded_by_import_keras": by_keras,
        "raw_seconds": {
            "import_keras": keras_alone,
            "import_keras_before_skdeep": keras_then,
            "import_skdeep_after_keras": skdeep_only,
        },
        "target": "import skdeep loads none of skopt, dask, distributed, plotting, pyplot",
    }
    print(json.dumps(payload, indent=2))
    write("import", payload)


if __name__ == "__main__":
    main()
