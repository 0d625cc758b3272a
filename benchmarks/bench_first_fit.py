"""The first fit of a new architecture: CPU time and train-step traces, against raw Keras.

Every architecture a search tries for the first time is compiled and traced once (later fits
reuse the compiled model, see ``bench_pool.py``); in a search over many architectures, and in
the test suite, that first fit is most of the cost. Three ways of fitting a network never seen
before (an ``ANNClassifier`` of one hidden layer, 2 epochs on a 300-row, 10-feature table),
interleaved in one process, each round with new layer widths so that every fit is a first one:

* ``skdeep``: today's ``ANNClassifier``;
* ``skdeep_lazy_metrics``: the same with the previous warm-up, where Keras built the accuracy
  metric inside the first trace of the train step (TensorFlow then traced the step again);
* ``keras``: the same network written, compiled and fitted in plain Keras.

Reported: the median CPU time of a first fit per way and the train-step traces per fit.
Run: ``python benchmarks/bench_first_fit.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from _common import write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12)
    args = parser.parse_args()

    import keras
    from sklearn.datasets import make_classification

    from skdeep import ANNClassifier
    from skdeep._training import _model

    X, y = make_classification(300, 10, random_state=0)
    X = X.astype("float32")
    traces = []
    train_step = keras.Model.train_step

    def counted(self, data):
        traces.append(1)
        return train_step(self, data)

    keras.Model.train_step = counted
    today = _model.warm_up

    def lazy_metrics(model, example):  # the warm-up before the metrics were built in it
        model.fit(*example, epochs=0, verbose=0, shuffle=False)

    def fit_skdeep(units, warm_up):
        _model.warm_up = warm_up
        try:
            ANNClassifier(n_layers=1, units=units, epochs=2, random_state=0).fit(X, y)
        finally:
            _model.warm_up = today

    def fit_keras(units):
        model = keras.Sequential(
            [
                keras.Input((X.shape[1],)),
                keras.layers.Dense(units, activation="relu"),
                keras.layers.Dense(1, activation="sigmoid"),
            ]
        )
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=2, batch_size=32, verbose=0)

    ways = {
        "skdeep": lambda units: fit_skdeep(units, today),
        "skdeep_lazy_metrics": lambda units: fit_skdeep(units, lazy_metrics),
        "keras": fit_keras,
    }
    for way in ways.values():  # imports, the data pipeline's and the inference's first traces
        way(5)
    cpu = {name: [] for name in ways}
    steps = {name: [] for name in ways}
    for round_ in range(args.rounds):
        for offset, (name, way) in enumerate(ways.items()):
            units = 8 + 3 * round_ + offset
            del traces[:]
            start = time.process_time()
            way(units)
            cpu[name].append(time.process_time() - start)
            steps[name].append(len(traces))
    medians = {name: statistics.median(times) for name, times in cpu.items()}
    payload = {
        "setup": (
            f"{args.rounds} rounds x 3 ways, each fit a new one-hidden-layer network, "
            "300 rows x 10 features, 2 epochs"
        ),
        "median_cpu_seconds": medians,
        "train_step_traces_per_fit": {name: sorted(set(n)) for name, n in steps.items()},
        "ratio_lazy_metrics_vs_skdeep": medians["skdeep_lazy_metrics"] / medians["skdeep"],
        "ratio_keras_vs_skdeep": medians["keras"] / medians["skdeep"],
    }
    print(json.dumps(payload, indent=2))
    write("first_fit", payload)


if __name__ == "__main__":
    main()
