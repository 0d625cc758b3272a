"""Fit overhead and tiny-model speed of ANNClassifier vs the same network in raw Keras.

Three contenders, interleaved in one process, on breast_cancer (standardised, 75/25 split):

* ``keras_default``: the network built, compiled and fitted with Keras defaults, as users write
  it by hand (``steps_per_execution=1``).
* ``keras_same``: the same network with skdeep's compile settings (``steps_per_execution``),
  the fair reference for wrapper overhead.
* ``keras_reused``: one compiled Keras model re-fitted from its initial weights each time
  (no rebuild, no retrace): the strictest reference for pure wrapper overhead, since skdeep
  itself reuses compiled models across fits.
* ``skdeep``: ``ANNClassifier`` with the same architecture, optimizer, batch size and epochs.

Every timing is a whole fresh fit of a new model (build + compile + train), as in a search.
Reported: median time ratios over interleaved repeats, per-epoch times, test accuracy.
Run: ``python benchmarks/bench_overhead.py [--repeats N] [--epochs E]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import keras
import numpy as np
from _common import write
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skdeep import ANNClassifier
from skdeep._training._model import STEPS_PER_EXECUTION


def keras_fit(X, y, *, epochs, batch_size, seed, steps_per_execution):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((X.shape[1],)),
            keras.layers.Dense(64, activation="relu", kernel_initializer="he_uniform"),
            keras.layers.Dense(32, activation="relu", kernel_initializer="he_uniform"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss="binary_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
    )
    model.fit(
        X, y.reshape(-1, 1).astype("float32"), epochs=epochs, batch_size=batch_size, verbose=0
    )
    return model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args()
    X, y = load_breast_cancer(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    scaler = StandardScaler().fit(X_tr)
    X_tr = scaler.transform(X_tr).astype("float32")
    X_te = scaler.transform(X_te).astype("float32")
    common = {"epochs": args.epochs, "batch_size": 32}

    def run_default(seed):
        m = keras_fit(X_tr, y_tr, seed=seed, steps_per_execution=1, **common)
        return float(np.mean((m.predict(X_te, verbose=0)[:, 0] > 0.5) == y_te))

    def run_same(seed):
        m = keras_fit(X_tr, y_tr, seed=seed, steps_per_execution=STEPS_PER_EXECUTION, **common)
        return float(np.mean((m.predict(X_te, verbose=0)[:, 0] > 0.5) == y_te))

    reused = keras_fit(
        X_tr, y_tr, seed=0, steps_per_execution=STEPS_PER_EXECUTION, epochs=1, batch_size=32
    )
    initial = [v.numpy() for v in reused.weights]
    opt_initial = [v.numpy() for v in reused.optimizer.variables]

    def run_reused(seed):
        for v, w in zip(reused.weights, initial):
            v.assign(w)
        for v, w in zip(reused.optimizer.variables, opt_initial):
            v.assign(w)
        reused.fit(X_tr, y_tr.reshape(-1, 1).astype("float32"), verbose=0, **common)
        return float(np.mean((reused(X_te, training=False).numpy()[:, 0] > 0.5) == y_te))

    def run_skdeep(seed):
        est = ANNClassifier(n_layers=2, units=64, units_decay=0.5, random_state=seed, **common)
        return float(est.fit(X_tr, y_tr).score(X_te, y_te))

    contenders = {
        "keras_default": run_default,
        "keras_same": run_same,
        "keras_reused": run_reused,
        "skdeep": run_skdeep,
    }
    for fn in contenders.values():  # warm-up: imports, first traces
        fn(0)
    times = {k: [] for k in contenders}
    accs = {k: [] for k in contenders}
    for r in range(args.repeats):
        order = list(contenders) if r % 2 == 0 else list(reversed(contenders))
        for name in order:
            t0 = time.perf_counter()
            accs[name].append(contenders[name](r + 1))
            times[name].append(time.perf_counter() - t0)

    def ratios(a, b):
        return [x / y for x, y in zip(times[a], times[b])]

    result = {
        "setup": {
            "data": "breast_cancer 75/25",
            "network": "Dense64-Dense32-Dense1",
            "repeats": args.repeats,
            **common,
        },
        "median_fit_s": {k: statistics.median(v) for k, v in times.items()},
        "median_epoch_s": {k: statistics.median(v) / args.epochs for k, v in times.items()},
        "mean_test_accuracy": {k: statistics.mean(v) for k, v in accs.items()},
        "overhead_ratio_skdeep_vs_keras_same": statistics.median(ratios("skdeep", "keras_same")),
        "overhead_ratio_skdeep_vs_keras_reused": statistics.median(
            ratios("skdeep", "keras_reused")
        ),
        "speedup_skdeep_vs_keras_default": statistics.median(
            [1 / x for x in ratios("skdeep", "keras_default")]
        ),
        "raw_times_s": times,
    }
    print({k: v for k, v in result.items() if k != "raw_times_s"})
    write("overhead", result)


if __name__ == "__main__":
    main()
