"""Classification metrics and ready-made scorers for multi-metric ``scoring=``.

``specificity_score`` is imbalanced-learn's (true negative rate); ``npv_score`` (negative
predictive value) follows the same signature and averaging rules as scikit-learn's
``precision_score``. :func:`make_scorers` returns a dict usable as ``scoring=`` in
``GridSearchCV``, ``cross_validate`` and skdeep's own searches.

Two rules shared by :func:`skdeep.evaluation.cross_validate_study` and the ``skdeep``
commands live here as well, so that a study and a search of the same data score the same
class: :func:`default_pos_label` (which class is "positive" when nobody says) and
:func:`resolve_scoring` (every ``scoring=`` form of ``cross_validate`` to named scorers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Set
from typing import Any

import numpy as np
from imblearn.metrics import geometric_mean_score
from imblearn.metrics import specificity_score as _imblearn_specificity
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    get_scorer,
    make_scorer,
    matthews_corrcoef,
    multilabel_confusion_matrix,
    precision_score,
    recall_score,
)

from .exceptions import DataError, ParameterError, describe

__all__ = [
    "SCORER_NAMES",
    "default_pos_label",
    "make_scorers",
    "npv_score",
    "resolve_scoring",
    "specificity_score",
]

_AVERAGES = (None, "binary", "micro", "macro", "weighted")


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
    if average not in _AVERAGES:
        raise ValueError(f"average must be one of {_AVERAGES}. Received: average={average!r}")
    present = np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)]))
    if average == "binary":
        if len(present) > 2:
            raise ValueError(
                "Target is multiclass but average='binary'. Choose average from "
                f"{_AVERAGES[2:]}. Received: {len(present)} labels"
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
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> scores = cross_validate(LogisticRegression(max_iter=5000), X, y, cv=3,
    ...                         scoring=make_scorers())
    >>> sorted(k for k in scores if k.startswith("test_"))
    ['test_accuracy', 'test_f1', 'test_precision', 'test_recall', 'test_specificity']
    """
    if average not in _AVERAGES[1:]:
        raise ValueError(f"average must be one of {_AVERAGES[1:]}. Received: average={average!r}")
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


def _named_scorer(name: str, average: str, pos_label: Any) -> Callable:
    if name in _METRICS:
        return make_scorers([name], average=average, pos_label=pos_label)[name]
    try:
        return get_scorer(name)
    except ValueError:
        raise ParameterError(
            f"Unknown metric name. Expected a skdeep metric among {list(SCORER_NAMES)} or a "
            "scikit-learn scorer name (sklearn.metrics.get_scorer_names()). Received: scoring "
            f"name {name!r}"
        ) from None


def resolve_scoring(
    scoring: Any,
    *,
    average: str = "binary",
    pos_label: Any = 1,
) -> dict[str, Callable]:
    """Named scorers for any ``scoring=`` that ``sklearn.model_selection.cross_validate`` takes.

    The names are the keys ``cross_validate`` reports (without its ``test_`` prefix), so a
    result computed with the same ``scoring`` lines up column for column.

    Parameters
    ----------
    scoring : None, str, callable, list/tuple/set of str, or dict
        * None: accuracy, precision, recall, specificity and F1 (:func:`make_scorers`).
        * a string or a callable scorer: one metric named ``"score"``, as in
          ``cross_validate`` (``test_score``).
        * a list, tuple or set of distinct strings: one metric per name.
        * a dict mapping names to strings or callables: one metric per key.

        Strings from :data:`SCORER_NAMES` use ``average`` and ``pos_label``; other strings are
        scikit-learn scorer names (``"roc_auc"``, ``"f1_macro"``, ``"neg_log_loss"``...).
    average : {"binary", "micro", "macro", "weighted"}, default="binary"
        Averaging of skdeep's metric names: "binary" for two classes, "macro" for more.
    pos_label : label, default=1
        Positive class of skdeep's metric names with ``average="binary"``.

    Returns
    -------
    dict of str to callable

    Raises
    ------
    ParameterError
        For an empty or duplicated list, an unknown metric name, or another type.

    Examples
    --------
    >>> sorted(resolve_scoring({"f1": "f1", "recall": "recall"}, pos_label="yes"))
    ['f1', 'recall']
    >>> list(resolve_scoring("roc_auc"))
    ['score']
    """
    if average not in _AVERAGES[1:]:
        raise ParameterError(
            f"average must be one of {_AVERAGES[1:]}. Received: average={average!r}"
        )
    if scoring is None:
        return make_scorers(average=average, pos_label=pos_label)
    if isinstance(scoring, str):
        return {"score": _named_scorer(scoring, average, pos_label)}
    if callable(scoring):
        return {"score": scoring}
    if isinstance(scoring, Mapping):
        if not scoring or not all(isinstance(k, str) for k in scoring):
            raise ParameterError(
                "scoring as a dict must map metric names (strings) to metric names or scorer "
                f"callables. Received: scoring={describe(scoring)}"
            )
        out = {}
        for key, value in scoring.items():
            if isinstance(value, str):
                out[key] = _named_scorer(value, average, pos_label)
            elif callable(value):
                out[key] = value
            else:
                raise ParameterError(
                    "scoring as a dict must map names to metric names or scorer callables. "
                    f"Received: scoring[{key!r}]={describe(value)}"
                )
        return out
    if isinstance(scoring, (list, tuple, Set)):
        names = list(scoring)
        if not names or not all(isinstance(n, str) for n in names) or len(set(names)) != len(names):
            raise ParameterError(
                "scoring as a list, tuple or set must hold distinct metric names. Received: "
                f"scoring={describe(scoring)}"
            )
        return {name: _named_scorer(name, average, pos_label) for name in names}
    raise ParameterError(
        "scoring must be None, a metric name, a callable, a list/tuple/set of names or a dict "
        f"of names or callables. Received: scoring={describe(scoring)}"
    )
