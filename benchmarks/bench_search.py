"""EpochHalvingSearchCV against GridSearchCV and scikit-learn's HalvingRandomSearchCV.

The same 27 ANN candidates (units x learning rate x dropout) on scikit-learn's digits data
(standardised in a Pipeline, 3-fold CV on a 75% training split), searched three ways:

* ``GridSearchCV``: every candidate trained for ``max_epochs`` on every fold.
* ``HalvingRandomSearchCV(resource="epochs")``: successive halving that restarts each survivor
  from scratch with the larger budget.
* ``EpochHalvingSearchCV``: the same rungs, but survivors continue training.

Recorded per search: best CV accuracy, training epochs spent by the CV fits (summed over all
fits; the final refit listed apart), fit calls, wall time, held-out test accuracy of the refitted
best model. Goal: EpochHalvingSearchCV within 0.5 accuracy points of the grid's best CV score
with at most 25% of the grid's training epochs.

Run: ``python benchmarks/bench_search.py`` (about 5 minutes on 2 CPU cores);
``--quick`` for a smoke run that writes nothing.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
from _common import write
from sklearn.datasets import load_digits
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import (
    GridSearchCV,
    HalvingRandomSearchCV,
    StratifiedKFold,
    train_test_split,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import ANNClassifier
from skdeep.model_selection import EpochHalvingSearchCV

GRID = {
    "annclassifier__units": [16, 64, 256],
    "annclassifier__learning_rate": [3e-4, 1e-3, 3e-3],
    "annclassifier__dropout": [0.0, 0.2, 0.4],
}


def _plain(params: dict) -> dict:
    return {k.split("__")[-1]: (v.item() if hasattr(v, "item") else v) for k, v in params.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-epochs", type=int, default=27)
    parser.add_argument("--min-epochs", type=int, default=1)
    parser.add_argument("--factor", type=int, default=3)
    parser.add_argument("--cv", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="tiny smoke run, no JSON")
    args = parser.parse_args()

    X, y = load_digits(return_X_y=True)
    grid = GRID
    if args.quick:
        X, y = X[:400], y[:400]
        grid = {k: v[:2] for k, v in GRID.items()}
        args.max_epochs, args.min_epochs = 4, 1
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=args.seed
    )
    cv = StratifiedKFold(args.cv, shuffle=True, random_state=args.seed)
    n_candidates = int(np.prod([len(v) for v in grid.values()]))

    def pipe(epochs: int):
        return make_pipeline(
            StandardScaler(), ANNClassifier(epochs=epochs, batch_size=32, random_state=args.seed)
        )

    searches = {
        "GridSearchCV": GridSearchCV(pipe(args.max_epochs), grid, cv=cv),
        "HalvingRandomSearchCV": HalvingRandomSearchCV(
            pipe(args.max_epochs),
            grid,
            n_candidates=n_candidates,
            resource="annclassifier__epochs",
            min_resources=args.min_epochs,
            max_resources=args.max_epochs,
            factor=args.factor,
            cv=cv,
            random_state=args.seed,
        ),
        "EpochHalvingSearchCV": EpochHalvingSearchCV(
            pipe(args.max_epochs),
            grid,
            min_epochs=args.min_epochs,
            max_epochs=args.max_epochs,
            factor=args.factor,
            cv=cv,
            random_state=args.seed,
        ),
    }
    rows = {}
    for name, search in searches.items():
        start = time.perf_counter()
        search.fit(X_train, y_train)
        wall = time.perf_counter() - start
        results = search.cv_results_
        if name == "GridSearchCV":
            cv_epochs = n_candidates * args.cv * args.max_epochs
            fit_calls = n_candidates * args.cv
            refit_epochs = args.max_epochs
        elif name == "HalvingRandomSearchCV":
            cv_epochs = int(np.dot(search.n_candidates_, search.n_resources_)) * args.cv
            fit_calls = int(sum(search.n_candidates_)) * args.cv
            refit_epochs = int(search.best_estimator_[-1].n_epochs_)
        else:
            cv_epochs = int(search.n_epochs_total_)
            fit_calls = int(sum(search.n_candidates_)) * args.cv
            refit_epochs = int(search.best_estimator_[-1].n_epochs_)
        rows[name] = {
            "best_cv_accuracy": float(search.best_score_),
            "best_params": _plain(search.best_params_),
            "best_epochs": int(search.best_estimator_[-1].n_epochs_),
            "cv_training_epochs": cv_epochs,
            "refit_epochs": refit_epochs,
            "fit_calls": fit_calls,
            "wall_seconds": round(wall, 1),
            "test_accuracy": float(search.score(X_test, y_test)),
            "n_results": len(results["params"]),
        }
        if hasattr(search, "n_resources_"):
            rows[name]["rungs"] = {
                "n_resources": [int(v) for v in search.n_resources_],
                "n_candidates": [int(v) for v in search.n_candidates_],
            }
        print(f"{name:<22} {rows[name]}")

    grid_row = rows["GridSearchCV"]
    grid_results = searches["GridSearchCV"].cv_results_
    for name, row in rows.items():
        row["epochs_vs_grid"] = round(row["cv_training_epochs"] / grid_row["cv_training_epochs"], 4)
        row["time_vs_grid"] = round(row["wall_seconds"] / grid_row["wall_seconds"], 3)
        row["cv_points_below_grid_best"] = round(
            100 * (grid_row["best_cv_accuracy"] - row["best_cv_accuracy"]), 2
        )
        # how the grid (full training) rates the candidate this search picked
        chosen = searches[name].best_params_
        index = next(
            i
            for i, p in enumerate(grid_results["params"])
            if all(p[k] == chosen[k] for k in GRID if k in chosen)
        )
        row["grid_rank_of_choice"] = int(grid_results["rank_test_score"][index])
        row["grid_cv_accuracy_of_choice"] = float(grid_results["mean_test_score"][index])
    ours = rows["EpochHalvingSearchCV"]
    goal = {
        "within_half_a_point": ours["cv_points_below_grid_best"] <= 0.5,
        "at_most_25_percent_epochs": ours["epochs_vs_grid"] <= 0.25,
    }
    goal["met"] = all(goal.values())
    print(f"goal: {goal}")
    if args.quick:
        return
    write(
        "search",
        {
            "task": (
                "27 ANNClassifier candidates (units x learning_rate x dropout) on sklearn "
                f"digits, Pipeline(StandardScaler, ANN), {args.cv}-fold stratified CV on a 75% "
                "training split; accuracy"
            ),
            "settings": {
                "max_epochs": args.max_epochs,
                "min_epochs": args.min_epochs,
                "factor": args.factor,
                "cv": args.cv,
                "seed": args.seed,
                "n_train": len(y_train),
                "n_test": len(y_test),
                "grid": {k.split("__")[-1]: v for k, v in GRID.items()},
            },
            "results": rows,
            "goal": goal,
        },
    )


if __name__ == "__main__":
    main()
