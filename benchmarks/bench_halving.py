"""Does EpochHalvingSearchCV find the grid's best beyond one data set, for several seeds?

For each data set and seed, the same 27 ANN candidates (units x learning rate x dropout,
``Pipeline(StandardScaler, ANNClassifier)``, 3-fold stratified CV on a 75% training split) are
searched by ``GridSearchCV`` (every candidate ``max_epochs`` on every fold) and by
``EpochHalvingSearchCV`` (rungs of 1, 3, 9, 27 epochs, survivors continue training). The goal,
for every data set and seed: the halving search's best CV score within 0.5 points of the
grid's best, with at most 25% of the grid's training epochs.

Data sets: breast_cancer (accuracy), digits (accuracy) and an imbalanced table
(``make_classification``, 2,000 rows, 10% positives; F1 of the positive class).

Run: ``python benchmarks/bench_halving.py [--seeds 0 1 2] [--n-jobs 2]``; ``--quick`` for a
smoke run that writes nothing.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
from _common import write
from sklearn.datasets import load_breast_cancer, load_digits, make_classification
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import ANNClassifier
from skdeep.model_selection import EpochHalvingSearchCV

GRID = {
    "annclassifier__units": [16, 64, 256],
    "annclassifier__learning_rate": [3e-4, 1e-3, 3e-3],
    "annclassifier__dropout": [0.0, 0.2, 0.4],
}


def _imbalanced():
    return make_classification(
        n_samples=2000,
        n_features=20,
        n_informative=6,
        weights=[0.9, 0.1],
        flip_y=0.02,
        class_sep=0.8,
        random_state=0,
    )


DATASETS = {
    "breast_cancer": (lambda: load_breast_cancer(return_X_y=True), "accuracy"),
    "digits": (lambda: load_digits(return_X_y=True), "accuracy"),
    "imbalanced": (_imbalanced, "f1"),
}


def one_case(X, y, scoring, seed, args, grid) -> dict:
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.25, stratify=y, random_state=seed)
    cv = StratifiedKFold(3, shuffle=True, random_state=seed)
    pipe = make_pipeline(
        StandardScaler(), ANNClassifier(epochs=args.max_epochs, batch_size=32, random_state=seed)
    )
    n_candidates = int(np.prod([len(v) for v in grid.values()]))
    start = time.perf_counter()
    full = GridSearchCV(pipe, grid, cv=cv, scoring=scoring, n_jobs=args.n_jobs)
    full.fit(X_train, y_train)
    grid_seconds = time.perf_counter() - start
    start = time.perf_counter()
    halving = EpochHalvingSearchCV(
        pipe,
        grid,
        min_epochs=1,
        max_epochs=args.max_epochs,
        factor=3,
        cv=cv,
        scoring=scoring,
        random_state=seed,
        n_jobs=args.n_jobs,
    )
    halving.fit(X_train, y_train)
    halving_seconds = time.perf_counter() - start
    grid_epochs = n_candidates * 3 * args.max_epochs
    chosen = halving.best_params_
    results = full.cv_results_
    index = next(i for i, p in enumerate(results["params"]) if all(p[k] == chosen[k] for k in grid))
    return {
        "grid_best": float(full.best_score_),
        "halving_best": float(halving.best_score_),
        "points_below_grid_best": round(100 * (full.best_score_ - halving.best_score_), 2),
        "epochs_vs_grid": round(int(halving.n_epochs_total_) / grid_epochs, 4),
        "grid_rank_of_choice": int(results["rank_test_score"][index]),
        "grid_score_of_choice": float(results["mean_test_score"][index]),
        "rungs": [int(v) for v in halving.n_candidates_],
        "time_vs_grid": round(halving_seconds / grid_seconds, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--max-epochs", type=int, default=27)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="tiny smoke run, no JSON")
    args = parser.parse_args()
    grid = GRID
    if args.quick:
        grid = {k: v[:2] for k, v in GRID.items()}
        args.max_epochs, args.seeds = 3, args.seeds[:1]
    cases: dict = {}
    for name, (load, scoring) in DATASETS.items():
        X, y = load()
        if args.quick:
            X, y = X[:300], y[:300]
        for seed in args.seeds:
            case = one_case(X, y, scoring, seed, args, grid)
            cases[f"{name}/seed{seed}"] = case
            print(f"{name:<14} seed {seed}: {case}", flush=True)
    below = [c["points_below_grid_best"] for c in cases.values()]
    share = [c["epochs_vs_grid"] for c in cases.values()]
    summary = {
        "cases": len(cases),
        "points_below_grid_best": {"min": min(below), "median": float(np.median(below)),
                                   "max": max(below)},
        "epochs_vs_grid": {"min": min(share), "median": float(np.median(share)),
                           "max": max(share)},
        "cases_within_half_a_point": sum(b <= 0.5 for b in below),
        "cases_at_most_25_percent_epochs": sum(s <= 0.25 for s in share),
    }  # fmt: skip
    summary["met"] = summary["cases_within_half_a_point"] == len(cases) and summary[
        "cases_at_most_25_percent_epochs"
    ] == len(cases)
    print(summary)
    if args.quick:
        return
    write(
        "halving",
        {
            "task": (
                "27 ANNClassifier candidates (units x learning_rate x dropout), "
                "Pipeline(StandardScaler, ANN), 3-fold stratified CV on a 75% training split; "
                "GridSearchCV against EpochHalvingSearchCV (1, 3, 9, 27 epochs, factor 3)"
            ),
            "settings": {"max_epochs": args.max_epochs, "seeds": args.seeds,
                         "n_jobs": args.n_jobs,
                         "scoring": {k: v[1] for k, v in DATASETS.items()}},
            "cases": cases,
            "summary": summary,
        },
    )  # fmt: skip


if __name__ == "__main__":
    main()
