"""Write benchmarks/README.md: the latest headline numbers from benchmarks/results/*.json."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

# (result file, label, JSON path to the value, format, target)
ROWS = [
    (
        "overhead",
        "fit time vs raw Keras (build+compile+fit each time)",
        ["overhead_ratio_skdeep_vs_keras_same"],
        "{:.2f}x",
        "<= 1.03",
    ),
    (
        "overhead",
        "fit time vs one raw Keras model re-fitted (no rebuild)",
        ["overhead_ratio_skdeep_vs_keras_reused"],
        "{:.3f}x",
        "(strictest reference)",
    ),
    (
        "overhead",
        "speed-up vs raw Keras defaults, small dense net",
        ["speedup_skdeep_vs_keras_default"],
        "{:.2f}x",
        ">= 1.5x",
    ),
    (
        "memory",
        "RSS growth over 200 fit/predict cycles (skdeep)",
        ["results", "skdeep", "growth_mb"],
        "{:+.0f} MB",
        "<= 50 MB",
    ),
    (
        "memory",
        "RSS growth over 40 cycles, raw Keras",
        ["results", "keras", "growth_mb"],
        "{:+.0f} MB",
        "reference",
    ),
    (
        "memory",
        "RSS growth over 40 cycles, scikeras",
        ["results", "scikeras", "growth_mb"],
        "{:+.0f} MB",
        "reference",
    ),
    (
        "parallel",
        "GridSearchCV n_jobs=2 vs n_jobs=1 speed-up (workers started, models compiled)",
        ["speedup_n_jobs_2"],
        "{:.2f}x",
        ">= 1.6x",
    ),
    (
        "parallel",
        "this machine's ceiling: 2 CPU-bound processes vs 1",
        ["machine_speedup_2_processes"],
        "{:.2f}x",
        "reference",
    ),
    (
        "parallel",
        "same, first search of a session (workers import TensorFlow, compile)",
        ["speedup_n_jobs_2_cold"],
        "{:.2f}x",
        "reference",
    ),
    (
        "parallel",
        "same, with oversubscribed workers (limit disabled)",
        ["speedup_n_jobs_2_oversubscribed"],
        "{:.2f}x",
        "reference",
    ),
    (
        "import",
        "import skdeep after import keras (seconds)",
        ["median_seconds", "import_skdeep_after_keras"],
        "{:.2f}",
        "small vs keras",
    ),
    (
        "import",
        "import keras (TensorFlow backend, seconds)",
        ["median_seconds", "import_keras"],
        "{:.1f}",
        "reference",
    ),
    (
        "search",
        "EpochHalvingSearchCV: share of the grid's training epochs",
        ["results", "EpochHalvingSearchCV", "epochs_vs_grid"],
        "{:.1%}",
        "<= 25%",
    ),
    (
        "search",
        "EpochHalvingSearchCV: CV points below the grid's best",
        ["results", "EpochHalvingSearchCV", "cv_points_below_grid_best"],
        "{:.2f}",
        "<= 0.5",
    ),
    (
        "search",
        "HalvingRandomSearchCV (restarts): share of grid epochs",
        ["results", "HalvingRandomSearchCV", "epochs_vs_grid"],
        "{:.1%}",
        "reference",
    ),
    (
        "cnn",
        "CNNClassifier, Fashion-MNIST full test set accuracy",
        ["fashion_mnist", "test_accuracy"],
        "{:.4f}",
        ">= 0.92",
    ),
    (
        "cnn",
        "CNNClassifier, offline MNIST subset held-out accuracy",
        ["mnist_subset", "test_accuracy"],
        "{:.4f}",
        ">= 0.98",
    ),
    (
        "cnn",
        "CNNClassifier epoch time vs the same raw Keras network (median round ratio)",
        ["epoch_time", "ratio_skdeep_vs_keras_same"],
        "{:.3f}x",
        "<= 1.03",
    ),
    (
        "cnn",
        "same, CPU time (less sensitive to other processes)",
        ["epoch_time", "cpu_ratio_skdeep_vs_keras_same"],
        "{:.3f}x",
        "reference",
    ),
    (
        "transfer",
        "TransferClassifier (MobileNet ImageNet, 112 px, head), Fashion-MNIST test",
        ["accuracy", "imagenet", "head_only_test_accuracy"],
        "{:.4f}",
        ">= 0.90",
    ),
    (
        "transfer",
        "same network on a random base (equal budget)",
        ["accuracy", "random_init", "head_only_test_accuracy"],
        "{:.4f}",
        "far below",
    ),
    (
        "transfer",
        "cached-feature head search speed-up vs uncached",
        ["head_search", "speedup_cached_vs_uncached"],
        "{:.1f}x",
        "faster",
    ),
    (
        "regression",
        "ANNRegressor (tuned) held-out R², diabetes (331 train / 111 test, 20 candidates)",
        ["diabetes", "results", "ANNRegressor", "test_r2"],
        "{:.4f}",
        ">= MLPRegressor",
    ),
    (
        "regression",
        "MLPRegressor (tuned, same budget) held-out R², diabetes",
        ["diabetes", "results", "MLPRegressor", "test_r2"],
        "{:.4f}",
        "reference",
    ),
    (
        "regression",
        "HistGradientBoostingRegressor (defaults) held-out R², diabetes",
        ["diabetes", "results", "HistGradientBoostingRegressor", "test_r2"],
        "{:.4f}",
        "reference",
    ),
    (
        "regression",
        "ANNRegressor / MLPRegressor mean fit time per candidate, diabetes",
        ["diabetes", "fit_time_ratio_ann_vs_mlp"],
        "{:.2f}x",
        "< 1",
    ),
    (
        "regression",
        "same, CPU time per fit, diabetes",
        ["diabetes", "cpu_time_ratio_ann_vs_mlp"],
        "{:.2f}x",
        "reference",
    ),
    (
        "regression",
        "ANNRegressor (tuned) held-out R², diamonds (20,000 train / 10,000 test, 10 candidates)",
        ["diamonds", "results", "ANNRegressor", "test_r2"],
        "{:.4f}",
        ">= MLPRegressor",
    ),
    (
        "regression",
        "MLPRegressor (tuned, same budget) held-out R², diamonds",
        ["diamonds", "results", "MLPRegressor", "test_r2"],
        "{:.4f}",
        "reference",
    ),
    (
        "regression",
        "HistGradientBoostingRegressor (defaults) held-out R², diamonds",
        ["diamonds", "results", "HistGradientBoostingRegressor", "test_r2"],
        "{:.4f}",
        "reference",
    ),
    (
        "regression",
        "ANNRegressor / MLPRegressor mean fit time per candidate, diamonds",
        ["diamonds", "fit_time_ratio_ann_vs_mlp"],
        "{:.2f}x",
        "< 1",
    ),
    (
        "regression",
        "same, CPU time per fit, diamonds",
        ["diamonds", "cpu_time_ratio_ann_vs_mlp"],
        "{:.2f}x",
        "reference",
    ),
]


def lookup(data, path):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def main() -> None:
    lines = [
        "# Benchmarks",
        "",
        "Plain scripts; each writes `results/<name>.json` with the environment and a raw-Keras (or",
        "scikit-learn) reference measured in the same run. `make bench` runs them all and rewrites",
        "this table (`python benchmarks/summarize.py`). Machine noise is large: read ratios, not",
        "absolute times.",
        "",
        "| result | value | target | script, date |",
        "|---|---|---|---|",
    ]
    for name, label, path, fmt, target in ROWS:
        file = RESULTS / f"{name}.json"
        if not file.exists():
            continue
        data = json.loads(file.read_text())
        value = lookup(data, path)
        if value is None:
            continue
        date = data.get("environment", {}).get("date", "?")[:10]
        script = f"bench_{name.split('_')[0]}.py"
        lines.append(f"| {label} | {fmt.format(value)} | {target} | `{script}`, {date} |")
    extra = sorted(p.stem for p in RESULTS.glob("*.json") if p.stem not in {r[0] for r in ROWS})
    if extra:
        lines += [
            "",
            "Other results (see each JSON file's headline fields): "
            + ", ".join(f"`results/{n}.json`" for n in extra)
            + ".",
        ]
    (HERE / "README.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
