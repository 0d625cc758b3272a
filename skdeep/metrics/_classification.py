"""Classification metrics, their scorers, and which class is "positive" when nobody says."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from imblearn.metrics import geometric_mean_score
from imblearn.metrics import specificity_score as _imblearn_specificity
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    make_scorer,
    matthews_corrcoef,
    multilabel_confusion_matrix,
    precision_score,
    recall_score,
)

from ..exceptions import DataError, describe

__all__ = [
    "AVERAGES",
    "DEFAULT_SCORERS",
    "SCORER_NAMES",
    "default_pos_label",
    "make_scorers",
    "npv_score",
    "specificity_score",
]

#: ``average`` values of the classification metrics (None: per-class values).
AVERAGES = (None, "binary", "micro", "macro", "weighted")


def specificity_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label: Any = 1,
    average: str | None = "binary",
    sample_weight=None,
) -> float | np.ndarray:
    """Specificity (true negative rate): TN / (TN + FP).

    For multiclass data each class is scored one-vs-rest and combined by ``average``
    ("micro", "macro", "weighted" by support, or None for per-class values).

    Examples
    --------
    >>> specificity_score([0, 0, 0, 1, 1], [0, 0, 1, 1, 0])
    0.666...
    """
    value = _imblearn_specificity(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
    )
    return value if isinstance(value, np.ndarray) and value.ndim else float(value)


def npv_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label: Any = 1,
    average: str | None = "binary",
    sample_weight=None,
    zero_division: float = 0.0,
) -> float | np.ndarray:
    """Negative predictive value: TN / (TN + FN).

    Of the samples predicted negative (not ``pos_label``; not the class, one-vs-rest, for
    multiclass averages), the fraction that really are negative.

    Examples
    --------
    >>> npv_score([0, 0, 0, 1, 1], [0, 0, 1, 1, 0])
    0.666...
    """
    if average not in AVERAGES:
        raise ValueError(f"average must be one of {AVERAGES}. Received: average={average!r}")
    present = np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)]))
    if average == "binary":
        if len(present) > 2:
            raise ValueError(
                "Target is multiclass but average='binary'. Choose average from "
                f"{AVERAGES[2:]}. Received: {len(present)} labels"
            )
        if pos_label not in present and len(present) == 2:
            raise ValueError(f"pos_label={pos_label!r} is not a valid label: {present.tolist()}")
        labels = [pos_label]
    mcm = multilabel_confusion_matrix(y_true, y_pred, labels=labels, sample_weight=sample_weight)
    tn, fn = mcm[:, 0, 0].astype(float), mcm[:, 1, 0].astype(float)
    if average == "micro":
        tn, fn = np.array([tn.sum()]), np.array([fn.sum()])
    denom = tn + fn
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(denom > 0, tn / np.where(denom > 0, denom, 1), zero_division)
    if average in ("binary", "micro"):
        return float(values[0])
    if average is None:
        return values
    if average == "macro":
        return float(values.mean())
    support = mcm[:, 1, 0] + mcm[:, 1, 1]  # true members of each class
    return float(np.average(values, weights=support)) if support.sum() else float(values.mean())


_METRICS: dict[str, tuple[Callable, bool]] = {
    # name: (function, takes average/pos_label)
    "accuracy": (accuracy_score, False),
    "balanced_accuracy": (balanced_accuracy_score, False),
    "precision": (precision_score, True),
    "recall": (recall_score, True),
    "sensitivity": (recall_score, True),
    "specificity": (specificity_score, True),
    "npv": (npv_score, True),
    "f1": (f1_score, True),
    "geometric_mean": (geometric_mean_score, True),
    "mcc": (matthews_corrcoef, False),
}
#: Names :func:`make_scorers` understands.
SCORER_NAMES = tuple(_METRICS)
DEFAULT_SCORERS = ("accuracy", "precision", "recall", "specificity", "f1")


def make_scorers(
    names: Iterable[str] | None = None,
    *,
    average: str = "binary",
    pos_label: Any = 1,
) -> dict[str, Callable]:
    """Scorers for multi-metric ``scoring=``, keyed by name.

    Parameters
    ----------
    names : iterable of str, default=None
        Metric names from :data:`SCORER_NAMES`; None gives accuracy, precision, recall,
        specificity and f1.
    average : {"binary", "micro", "macro", "weighted"}, default="binary"
        How per-class values are combined; use "macro" or "weighted" for multiclass data.
    pos_label : label, default=1
        The positive class for ``average="binary"`` (e.g. ``"malignant"`` for string labels).

    Returns
    -------
    dict of str to callable
        Use as ``GridSearchCV(..., scoring=make_scorers(), refit="f1")``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_validate
    >>> from sklearn.datasets import load_breast_cancer
    >>> model = LogisticRegression(max_iter=5000)
    >>> scores = cross_validate(model, *load_breast_cancer(return_X_y=True), scoring=make_scorers())
    >>> sorted(k for k in scores if k.startswith("test_"))
    ['test_accuracy', 'test_f1', 'test_precision', 'test_recall', 'test_specificity']
    """
    if average not in AVERAGES[1:]:
        raise ValueError(f"average must be one of {AVERAGES[1:]}. Received: average={average!r}")
    names = DEFAULT_SCORERS if names is None else tuple(names)
    unknown = [n for n in names if n not in _METRICS]
    if unknown:
        raise ValueError(
            f"Unknown scorer name. Expected names among {list(SCORER_NAMES)}. Received: {unknown}"
        )
    scorers = {}
    for name in names:
        func, averaged = _METRICS[name]
        kwargs: dict[str, Any] = {}
        if averaged:
            kwargs["average"] = average
            if average == "binary":
                kwargs["pos_label"] = pos_label
            if func in (precision_score, f1_score, recall_score):
                kwargs["zero_division"] = 0.0
        scorers[name] = make_scorer(func, **kwargs)
    return scorers


def default_pos_label(y: Any) -> Any:
    """The positive class of a binary target when none is given.

    One rule for every skdeep entry point (studies, ``skdeep tune``, ``skdeep study``):

    1. numeric or boolean labels that include 1 (or True): 1, scikit-learn's default;
    2. otherwise the rarer class, the class of interest in most binary problems (the disease,
       the fraud, the churn); ``"malignant"`` for breast_cancer's class names;
    3. on a tie, the last label in sorted order (``"yes"`` of ``"no"``/``"yes"``).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The whole target, before any split.

    Returns
    -------
    label
        One of the two labels.

    Raises
    ------
    DataError
        When ``y`` does not hold exactly two classes.

    Examples
    --------
    >>> default_pos_label([0, 1, 1, 1])
    1
    >>> default_pos_label(["benign", "malignant", "benign"])
    'malignant'
    >>> default_pos_label(["no", "yes", "no", "yes"])
    'yes'
    """
    values, counts = np.unique(np.asarray(y), return_counts=True)
    if len(values) != 2:
        raise DataError(
            "A positive class exists only for binary targets. Expected 2 classes. "
            f"Received: y with {len(values)} classes {describe(values.tolist())}"
        )
    if values.dtype.kind in "biuf" and 1 in values.tolist():
        return values[values.tolist().index(1)].item()
    rarer = np.flatnonzero(counts == counts.min())
    value = values[rarer[-1]]
    return value.item() if isinstance(value, np.generic) else value
