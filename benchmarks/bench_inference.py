"""CPU time of one prediction call on 1-100 rows: skdeep against Keras' own ways to predict.

A fitted ``ANNClassifier`` (breast_cancer, Dense64-Dense32-Dense1) predicts 1, 10, 32 and 100
rows; per call and repeated many times, measured in CPU time (``time.process_time``, so the
machine's other load counts less than with wall time):

* ``skdeep``: ``est.predict_proba(X)`` (checks, a compiled inference function, probabilities);
* ``keras_call``: the same network called eagerly, ``model(X, training=False)``, which is what
  skdeep 0.1 did inside ``predict_proba``;
* ``keras_predict``: ``model.predict(X)``.

Run: ``python benchmarks/bench_inference.py [--calls 300]``.
"""

from __future__ import annotations

import argparse
import time

from _common import write


def cpu_ms(fn, calls: int) -> float:
    fn()  # warm
    start = time.process_time()
    for _ in range(calls):
        fn()
    return (time.process_time() - start) / calls * 1e3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    import keras
    from sklearn.datasets import load_breast_cancer
    from sklearn.preprocessing import StandardScaler

    from skdeep import ANNClassifier

    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype("float32")
    est = ANNClassifier(epochs=3, random_state=0).fit(X, y)
    model = est.model_
    rows = {}
    for n in (1, 10, 32, 100):
        x = X[:n]
        ways = {
            "skdeep": lambda x=x: est.predict_proba(x),
            "keras_call": lambda x=x: keras.ops.convert_to_numpy(model(x, training=False)),
            "keras_predict": lambda x=x: model.predict(x, verbose=0),
        }
        rounds = {
            name: [cpu_ms(fn, args.calls) for _ in range(args.rounds)] for name, fn in ways.items()
        }
        best = {name: min(values) for name, values in rounds.items()}
        rows[str(n)] = {
            "cpu_ms_per_call": best,
            "skdeep_vs_keras_call": best["skdeep"] / best["keras_call"],
            "skdeep_vs_keras_predict": best["skdeep"] / best["keras_predict"],
        }
        print(n, {k: round(v, 3) for k, v in best.items()}, flush=True)
    worst = max(r["skdeep_vs_keras_call"] for r in rows.values())
    payload = {
        "setup": "ANNClassifier on breast_cancer; CPU ms per call, best of rounds",
        "calls_per_round": args.calls,
        "results": rows,
        "target": "<= 0.3x the CPU of today's per-call path (an eager model call) for 1-100 rows",
        "worst_ratio_vs_eager_call": worst,
        "target_met": worst <= 0.3,
    }
    write("inference", payload)


if __name__ == "__main__":
    main()
