"""``skdeep demo``: a small preset of ``skdeep tune`` on breast_cancer, in about a minute."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="tune an ANNClassifier on a bundled dataset and report held-out scores",
        description=(
            "Shorthand for `skdeep tune --dataset breast_cancer --search random --scoring f1 "
            "--epochs 100 --param early_stopping=true`: a randomized search over an "
            "ANNClassifier inside Pipeline(StandardScaler, model) on scikit-learn's "
            "breast_cancer data; prints the best parameters and precision, recall, "
            "specificity and F1 (positive class 'malignant') on a held-out test split."
        ),
    )
    parser.add_argument("--n-iter", type=int, default=10, help="candidates to try (10)")
    parser.add_argument("--cv", type=int, default=3, help="folds per candidate (3)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    parser.add_argument("--n-jobs", type=int, default=1, help="parallel fits (1)")
    parser.add_argument("--out", default=None, help="also write the tune report folder here")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .tune import TuneConfig, tune

    config = TuneConfig(
        data="breast_cancer",
        search="random",
        n_iter=args.n_iter,
        cv=args.cv,
        scoring="f1",
        seed=args.seed,
        n_jobs=args.n_jobs,
        epochs=100,
        params={"early_stopping": True, "patience": 10},
        out=args.out,
    )
    tune(config)
    return 0
