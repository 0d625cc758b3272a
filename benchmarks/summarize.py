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
        ">= 1.55x",
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
        ">= 1.25x",
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
        "{:.4f}x",
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
    (
        "fit_speed",
        "warm 20-epoch ANNClassifier fit, speed-up vs skdeep 0.1 (same run)",
        ["speedup_vs_skdeep_0_1"],
        "{:.2f}x",
        ">= 1.6x",
    ),
    (
        "fit_speed",
        "same, CPU time",
        ["cpu_speedup_vs_skdeep_0_1"],
        "{:.2f}x",
        "reference",
    ),
    (
        "fit_speed",
        "same fit, speed-up vs hand-written Keras (build, compile, fit)",
        ["speedup_vs_keras"],
        "{:.2f}x",
        "reference",
    ),
    (
        "fit_speed",
        "the limit: one epoch's FLOPs at this CPU's GEMM rate (ms)",
        ["limit", "epoch_ms"],
        "{:.2f}",
        "(see below)",
    ),
    (
        "fit_speed",
        "skdeep epoch time / the limit",
        ["times_the_limit", "skdeep"],
        "{:.0f}x",
        "reference",
    ),
    (
        "fit_speed",
        "skdeep 0.1 epoch time / the limit",
        ["times_the_limit", "skdeep_0_1"],
        "{:.0f}x",
        "reference",
    ),
    (
        "fit_speed",
        "raw Keras epoch time / the limit",
        ["times_the_limit", "keras"],
        "{:.0f}x",
        "reference",
    ),
    (
        "inference",
        "predict_proba CPU per call vs the eager model call of 0.1, worst of 1-100 rows",
        ["worst_ratio_vs_eager_call"],
        "{:.2f}x",
        "<= 0.3x",
    ),
    (
        "memory_architectures",
        "RSS growth, 100-candidate x 3-fold search over architectures, serial",
        ["results", "serial", "main_growth_mb"],
        "{:+.0f} MB",
        "reference (TensorFlow keeps traced graphs)",
    ),
    (
        "memory_architectures",
        "same search, n_jobs=2 (workers replaced after 100 MB growth): main process",
        ["results", "workers", "main_growth_mb"],
        "{:+.0f} MB",
        "<= 100 MB",
    ),
    (
        "memory_architectures",
        "same, slowest search / serial search time",
        ["workers_vs_serial_seconds"],
        "{:.2f}x",
        "reference",
    ),
    (
        "pool",
        "12 architectures fitted in turn, 3 rounds: CPU time, pool of 8 idle / today's pool",
        ["cpu_ratio_bound_8_vs_default"],
        "{:.2f}x",
        "reference",
    ),
    (
        "pool",
        "same, RSS growth, pool of 8 idle / today's pool",
        ["rss_ratio_bound_8_vs_default"],
        "{:.2f}x",
        "reference (TensorFlow keeps an evicted engine's graphs)",
    ),
    (
        "first_fit",
        "first fit of a new architecture, CPU time: previous warm-up (2 traces) / today's",
        ["ratio_lazy_metrics_vs_skdeep"],
        "{:.2f}x",
        "reference",
    ),
    (
        "first_fit",
        "same, raw Keras (2 traces) / skdeep",
        ["ratio_keras_vs_skdeep"],
        "{:.2f}x",
        ">= 1.0x",
    ),
    (
        "halving",
        "EpochHalvingSearchCV, 3 data sets x 3 seeds: cases within 0.5 points of the grid",
        ["summary", "cases_within_half_a_point"],
        "{:.0f} of 9",
        "9 of 9",
    ),
    (
        "halving",
        "same, worst CV points below the grid's best",
        ["summary", "points_below_grid_best", "max"],
        "{:.2f}",
        "<= 0.5",
    ),
    (
        "halving",
        "same, largest share of the grid's training epochs",
        ["summary", "epochs_vs_grid", "max"],
        "{:.1%}",
        "<= 25%",
    ),
    (
        "large_data",
        "1M rows x 20 features, 2 epochs: fit time vs raw Keras",
        ["time_ratio_skdeep_vs_keras"],
        "{:.2f}x",
        "<= 0.9x",
    ),
    (
        "large_data",
        "same, peak memory during the fit (copies of X)",
        ["results", "skdeep", "peak_copies_of_x"],
        "{:.1f}",
        "<= 3",
    ),
    (
        "large_data",
        "same, raw Keras' peak (copies of X)",
        ["results", "keras", "peak_copies_of_x"],
        "{:.1f}",
        "reference",
    ),
    (
        "large_data",
        "same, RSS held after the fit (MB; raw Keras in the next row)",
        ["results", "skdeep", "median_held_mb"],
        "{:.0f}",
        "<= raw Keras + 8",
    ),
    (
        "large_data",
        "same, raw Keras' RSS held after the fit (MB)",
        ["results", "keras", "median_held_mb"],
        "{:.0f}",
        "reference",
    ),
    (
        "resume",
        "73-fit search killed (SIGKILL) half-way: fits trained again on resume",
        ["resumed", "trained"],
        "{:d}",
        "<= the unfinished fits + 1",
    ),
    (
        "resume",
        "same: resumed cv_results_ scores identical to the uninterrupted search",
        ["same_scores_as_reference"],
        "{}",
        "True",
    ),
    (
        "resume",
        "same search with every fit stored: CPU time vs training it",
        ["cached_cpu_vs_reference"],
        "{:.2f}x",
        "reference",
    ),
]

LIMIT = """
**The limit.** One breast_cancer epoch (426 rows, 30 features, Dense64-Dense32-Dense1) is
about 10 MFLOP forward and backward; at this CPU's measured float32 GEMM rate that is well under
a millisecond (`fit_speed.json`: `limit`). skdeep's epoch is one compiled call over all its
mini-batches, so what remains is per-step overhead (14 small steps of 32 rows, each a handful of
tiny matrix products with their launch and bookkeeping costs), not arithmetic; raw Keras adds
its per-step Python loop, callbacks and a new trace for every model on top. Beyond this, the
gains would come from larger batches or from fusing the steps of an epoch into one kernel,
which no Keras backend does for CPUs today.
"""


def script_for(name: str) -> str:
    exact = HERE / f"bench_{name}.py"
    return exact.name if exact.exists() else f"bench_{name.split('_')[0]}.py"


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
        # a part rerun alone (bench_cnn.py --only ...) stamps itself: the other parts keep
        # the date they were measured on
        part = lookup(data, path[:1])
        stamp = part.get("measured") if isinstance(part, dict) else None
        date = (stamp or data.get("environment", {}).get("date", "?"))[:10]
        script = script_for(name)
        lines.append(f"| {label} | {fmt.format(value)} | {target} | `{script}`, {date} |")
    extra = sorted(p.stem for p in RESULTS.glob("*.json") if p.stem not in {r[0] for r in ROWS})
    if extra:
        lines += [
            "",
            "Other results (see each JSON file's headline fields): "
            + ", ".join(f"`results/{n}.json`" for n in extra)
            + ".",
        ]
    lines.append(LIMIT)
    (HERE / "README.md").write_text("\n".join(lines).rstrip() + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
