"""``skdeep demo``: tune an ANNClassifier on breast_cancer, leakage-free, in a couple of minutes."""

from __future__ import annotations

import argparse
import time

import numpy as np


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="tune an ANNClassifier on a bundled dataset and report held-out scores",
        description=(
            "Randomized search over an ANNClassifier inside Pipeline(StandardScaler, model) "
            "on scikit-learn's breast_cancer data; prints the best parameters and precision, "
            "recall, specificity and F1 on a held-out test split."
        ),
    )
    parser.add_argument("--n-iter", type=int, default=10, help="candidates to try (10)")
    parser.add_argument("--cv", type=int, default=3, help="folds per candidate (3)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    parser.add_argument("--n-jobs", type=int, default=1, help="parallel fits (1)")
    parser.set_defaults(func=run)


def search_space() -> dict:
    from scipy.stats import loguniform

    return {
        "annclassifier__n_layers": [1, 2, 3],
        "annclassifier__units": [16, 32, 64, 128],
        "annclassifier__activation": ["relu", "elu", "tanh"],
        "annclassifier__dropout": [0.0, 0.2, 0.4],
        "annclassifier__l2": [0.0, 1e-4, 1e-3],
        "annclassifier__learning_rate": loguniform(3e-4, 1e-2),
    }


def run(args: argparse.Namespace) -> int:
    from sklearn.datasets import load_breast_cancer
    from sklearn.metrics import confusion_matrix
    from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold, train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skdeep import ANNClassifier
    from skdeep.metrics import make_scorers

    data = load_breast_cancer()
    # target 0 = malignant: make "malignant" the positive class, as clinicians read it
    X, y = data.data, np.where(data.target == 0, "malignant", "benign")
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=args.seed
    )
    print(f"breast_cancer: {len(X_train)} training / {len(X_test)} held-out samples")
    pipe = make_pipeline(
        StandardScaler(),
        ANNClassifier(epochs=100, early_stopping=True, patience=10, random_state=args.seed),
    )
    scoring = make_scorers(pos_label="malignant")
    search = RandomizedSearchCV(
        pipe,
        search_space(),
        n_iter=args.n_iter,
        cv=StratifiedKFold(args.cv, shuffle=True, random_state=args.seed),
        scoring=scoring,
        refit="f1",
        n_jobs=args.n_jobs,
        random_state=args.seed,
    )
    start = time.perf_counter()
    search.fit(X_train, y_train)
    elapsed = time.perf_counter() - start
    fits = args.n_iter * args.cv + 1
    print(f"searched {args.n_iter} candidates x {args.cv} folds ({fits} fits) in {elapsed:.0f} s")
    print(f"best cross-validated F1: {search.best_score_:.3f}")
    print("best parameters:")
    for name, value in sorted(search.best_params_.items()):
        shown = f"{value:.4g}" if isinstance(value, float) else value
        print(f"  {name.split('__', 1)[1]:<15} {shown}")
    best = search.best_estimator_
    print(f"held-out test set ({len(X_test)} samples, positive class 'malignant'):")
    print(f"  {'metric':<12} {'score':>6}")
    for name, scorer in scoring.items():
        print(f"  {name:<12} {scorer(best, X_test, y_test):>6.3f}")
    cm = confusion_matrix(y_test, best.predict(X_test), labels=["malignant", "benign"])
    print("confusion matrix (rows true, columns predicted: malignant, benign):")
    print(f"  malignant {cm[0, 0]:>5} {cm[0, 1]:>5}")
    print(f"  benign    {cm[1, 0]:>5} {cm[1, 1]:>5}")
    return 0
