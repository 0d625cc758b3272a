r"""TransferClassifier on Fashion-MNIST with offline MobileNet v1 ImageNet weights.

Measures, in one run:

1. the converted weights against the original TensorFlow graph (logits on random inputs) and
   on the 20 labelled ImageNet sample images shipped by ``foolbox`` (top-1 / top-5);
2. the feature cache: the same ``GridSearchCV`` over head parameters with the cache and with
   it disabled (identical ``cv_results_`` expected), and one candidate trained the plain Keras
   way (the frozen base runs on every image at every epoch) as the raw-Keras reference;
3. accuracy at equal budget on the full 10,000-image test set: the ImageNet base vs the same
   network on a randomly initialised base, after the head-only phase (on cached features) and,
   with ``--fine-tune-epochs N``, after fine-tuning.

Needs ``make data`` (Fashion-MNIST, nudity, foolbox). Runs (results in benchmarks/results/)::

    # transfer.json: 60,000 images at 112 px, head only (~12 min on 2 CPU cores)
    PYTHONPATH=. python benchmarks/bench_transfer.py
    # transfer_96px_finetune.json, transfer_64px.json: 30,000 images, with fine-tuning
    PYTHONPATH=. python benchmarks/bench_transfer.py --train 30000 --input-size 96 \
        --head-epochs 20 --fine-tune-epochs 2 --name transfer_96px_finetune
    PYTHONPATH=. python benchmarks/bench_transfer.py --train 30000 --input-size 64 \
        --head-epochs 20 --fine-tune-epochs 3 --name transfer_64px
    PYTHONPATH=. python benchmarks/bench_transfer.py --quick    # smoke run, about a minute
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
from _common import write
from sklearn.model_selection import GridSearchCV, train_test_split

from skdeep import TransferClassifier
from skdeep.builders._transfer import build_transfer
from skdeep.datasets import load_fashion_mnist
from skdeep.pretrained import mobilenet_v1_imagenet_weights, nudity_graph_path


def log(*args) -> None:
    print(time.strftime("%H:%M:%S"), *args, flush=True)


def verify_weights() -> dict:
    """Converted Keras MobileNet vs the original graph, and top-5 on real ImageNet images."""
    import tensorflow as tf
    from tensorflow.core.framework import graph_pb2

    full = keras.applications.MobileNet(
        weights=str(mobilenet_v1_imagenet_weights(include_top=True))
    )
    logits = keras.Model(full.input, full.get_layer("conv_preds").output)
    graph_def = graph_pb2.GraphDef()
    graph_def.ParseFromString(nudity_graph_path().read_bytes())
    x = np.random.default_rng(0).uniform(-1, 1, (4, 224, 224, 3)).astype("float32")
    with tf.Graph().as_default() as graph:
        tf.graph_util.import_graph_def(graph_def, name="")
        with tf.compat.v1.Session(graph=graph) as session:
            reference = np.concatenate(
                [
                    session.run("MobilenetV1/Logits/SpatialSqueeze:0", {"input:0": x[i : i + 1]})
                    for i in range(len(x))
                ]
            )
    ours = keras.ops.convert_to_numpy(logits(x)).reshape(len(x), -1)
    result = {
        "logits_max_abs_diff_vs_graph": float(np.abs(reference[:, 1:] - ours).max()),
        "logits_max_abs": float(np.abs(reference).max()),
    }
    try:
        import importlib.util

        from PIL import Image

        spec = importlib.util.find_spec("foolbox")
        folder = os.path.join(spec.submodule_search_locations[0], "data")
        files = sorted(glob.glob(os.path.join(folder, "imagenet_*.jpg")))
        images = np.stack(
            [np.asarray(Image.open(f).convert("RGB").resize((224, 224))) for f in files]
        ).astype("float32")
        labels = np.array([int(f.rsplit("_", 1)[1].split(".")[0]) for f in files])
        proba = full.predict(keras.applications.mobilenet.preprocess_input(images), verbose=0)
        top5 = np.argsort(-proba, axis=1)[:, :5]
        result.update(
            imagenet_samples=len(files),
            imagenet_top1=float(np.mean(top5[:, 0] == labels)),
            imagenet_top5=float(np.mean([label in row for label, row in zip(labels, top5)])),
        )
    except Exception as exc:  # foolbox not installed: the graph comparison still stands
        result["imagenet_samples_error"] = repr(exc)
    return result


def head_search(weights: str, X, y, args) -> dict:
    """GridSearchCV over head parameters: cached vs uncached features, plus raw Keras."""
    grid = {"dense_units": [0, 256], "dropout": [0.2, 0.5]}
    estimator = TransferClassifier(
        weights=weights,
        input_size=args.input_size,
        epochs=args.search_epochs,
        batch_size=64,
        random_state=0,
    )
    cache = TransferClassifier.feature_cache
    timings, results, stats = {}, {}, {}
    for mode in ("cached", "uncached"):
        cache.clear()
        cache.max_bytes = (1 << 30) if mode == "cached" else 0
        search = GridSearchCV(estimator, grid, cv=args.cv)
        start = time.perf_counter()
        search.fit(X, y)
        timings[mode] = time.perf_counter() - start
        results[mode] = search.cv_results_["mean_test_score"].tolist()
        stats[mode] = cache.stats()
        log(f"search {mode}: {timings[mode]:.1f}s scores {results[mode]}", stats[mode])
    cache.max_bytes = 1 << 30
    n_fits = len(results["cached"]) * args.cv + 1

    # raw Keras: one candidate, the frozen base in the model, images at every epoch
    X_tr, _, y_tr, _ = train_test_split(X, y, test_size=1 / args.cv, stratify=y, random_state=0)
    keras.utils.set_random_seed(0)
    model = build_transfer(
        input_shape=(28, 28, 1),
        n_classes=10,
        weights=weights,
        input_size=args.input_size,
        trainable_layers=0,
        dense_units=256,
        dropout=0.2,
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(
        X_tr[..., None] / np.float32(255), y_tr, epochs=args.search_epochs, batch_size=64, verbose=0
    )
    raw_fit = time.perf_counter() - start
    log(f"raw keras fit: {raw_fit:.1f}s")
    return {
        "grid": grid,
        "cv": args.cv,
        "n_samples": len(X),
        "n_fits": n_fits,
        "epochs": args.search_epochs,
        "seconds_cached": timings["cached"],
        "seconds_uncached": timings["uncached"],
        "speedup_cached_vs_uncached": timings["uncached"] / timings["cached"],
        "identical_cv_scores": results["cached"] == results["uncached"],
        "mean_test_score": results["cached"],
        "cache_stats": stats,
        "raw_keras_one_fit_seconds": raw_fit,
        "raw_keras_grid_seconds_extrapolated": raw_fit * n_fits,
        "speedup_cached_vs_raw_keras_extrapolated": raw_fit * n_fits / timings["cached"],
    }


def accuracy_at_equal_budget(weights: str, X, y, X_test, y_test, args) -> dict:
    results = {}
    for name, base_weights in (("imagenet", weights), ("random_init", None)):
        model = TransferClassifier(
            weights=base_weights,
            input_size=args.input_size,
            dense_units=256,
            dropout=0.3,
            batch_size=64,
            epochs=args.head_epochs,
            early_stopping=True,
            patience=3,
            validation_fraction=0.05,
            trainable_layers=args.trainable_layers,
            fine_tune_learning_rate=args.fine_tune_learning_rate,
            random_state=0,
        )
        start = time.perf_counter()
        model.fit(X, y)
        head_seconds = time.perf_counter() - start
        head_accuracy = model.score(X_test, y_test)
        log(f"{name}: head only {head_accuracy:.4f} ({head_seconds:.0f}s)")
        accuracy = tune_seconds = None
        if args.fine_tune_epochs > 0:
            model.set_params(warm_start=True, epochs=1, fine_tune_epochs=args.fine_tune_epochs)
            start = time.perf_counter()
            model.fit(X, y)  # one more head epoch, then fine-tuning
            tune_seconds = time.perf_counter() - start
            accuracy = model.score(X_test, y_test)
            log(f"{name}: fine-tuned {accuracy:.4f} ({tune_seconds:.0f}s)")
        results[name] = {
            "head_only_test_accuracy": head_accuracy,
            "head_only_seconds": head_seconds,
            "head_epochs_run": model.n_epochs_ - model.n_fine_tune_epochs_,
            "fine_tuned_test_accuracy": accuracy,
            "fine_tune_seconds": tune_seconds,
            "fine_tune_epochs_run": model.n_fine_tune_epochs_,
            "best_epoch": model.best_epoch_,
            "val_accuracy": model.history_.get("val_accuracy"),
        }
    results["margin_head_only"] = (
        results["imagenet"]["head_only_test_accuracy"]
        - results["random_init"]["head_only_test_accuracy"]
    )
    if args.fine_tune_epochs > 0:
        results["margin_fine_tuned"] = (
            results["imagenet"]["fine_tuned_test_accuracy"]
            - results["random_init"]["fine_tuned_test_accuracy"]
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--train", type=int, default=60000, help="training images")
    parser.add_argument("--test", type=int, default=10000, help="test images (max 10000)")
    parser.add_argument("--input-size", type=int, default=112)
    parser.add_argument("--head-epochs", type=int, default=30)
    parser.add_argument("--fine-tune-epochs", type=int, default=0, help="0: head only")
    parser.add_argument("--trainable-layers", type=int, default=27)
    parser.add_argument("--fine-tune-learning-rate", type=float, default=2e-4)
    parser.add_argument("--search-samples", type=int, default=2000)
    parser.add_argument("--search-epochs", type=int, default=10)
    parser.add_argument("--cv", type=int, default=2)
    parser.add_argument("--name", default=None, help="results file name (default: transfer)")
    args = parser.parse_args()
    if args.quick:
        args.train, args.test, args.search_samples = 2000, 1000, 600
        args.head_epochs, args.fine_tune_epochs, args.search_epochs = 5, 1, 3
    start = time.perf_counter()
    (X_train, y_train), (X_test, y_test) = load_fashion_mnist()
    rng = np.random.default_rng(0)
    train = rng.permutation(len(X_train))[: args.train]
    X, y = X_train[train], y_train[train]
    X_test, y_test = X_test[: args.test], y_test[: args.test]
    weights = str(mobilenet_v1_imagenet_weights())
    log(f"weights: {weights}")

    verification = verify_weights()
    log("verification", verification)
    search = head_search(weights, X[: args.search_samples], y[: args.search_samples], args)
    accuracy = accuracy_at_equal_budget(weights, X, y, X_test, y_test, args)
    payload = {
        "description": (
            "Fashion-MNIST (28x28 grayscale, expanded to RGB inside the network) with "
            "MobileNet v1 ImageNet weights converted offline by "
            "skdeep.pretrained.mobilenet_v1_imagenet_weights, vs the same network on a "
            "random base. Head-only phase on cached base features, then fine-tuning."
        ),
        "command": " ".join(["PYTHONPATH=. python benchmarks/bench_transfer.py", *sys.argv[1:]]),
        "config": vars(args),
        "n_train": len(X),
        "n_test": len(X_test),
        "weights_verification": verification,
        "head_search": search,
        "accuracy": accuracy,
        "total_seconds": time.perf_counter() - start,
    }
    write(args.name or ("transfer_quick" if args.quick else "transfer"), payload)


if __name__ == "__main__":
    main()
