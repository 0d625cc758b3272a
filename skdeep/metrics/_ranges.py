"""Which metrics score a negated error, and what values each metric's scorer can return.

A study uses both to report errors as positive numbers and to keep confidence intervals
inside what is possible (an interval for precision never goes above 1).
"""

from __future__ import annotations

import math

from ._regression import REGRESSION_SCORERS

__all__ = ["is_error_metric", "metric_range"]

_UNIT = (0.0, 1.0)
_AT_MOST_ONE = (-math.inf, 1.0)
#: Metric names (or name prefixes, ending in "_") whose scorer values lie in a known range.
_RANGES: dict[str, tuple[float, float]] = {
    **dict.fromkeys(
        (
            "accuracy",
            "balanced_accuracy",
            "average_precision",
            "top_k_accuracy",
            "precision",
            "recall",
            "sensitivity",
            "specificity",
            "npv",
            "f1",
            "jaccard",
            "geometric_mean",
            "roc_auc",
            "homogeneity_score",
            "completeness_score",
            "v_measure_score",
            "normalized_mutual_info_score",
            "fowlkes_mallows_score",
            "rand_score",
        ),  # fmt: skip
        _UNIT,
    ),
    "mcc": (-1.0, 1.0),
    "matthews_corrcoef": (-1.0, 1.0),
    "r2": _AT_MOST_ONE,
    "explained_variance": _AT_MOST_ONE,
    "d2_": _AT_MOST_ONE,
}


def is_error_metric(name: str | None) -> bool:
    """Whether the scorer of metric ``name`` returns a negated error (``neg_*``, ``"mae"``...).

    Examples
    --------
    >>> is_error_metric("neg_mean_absolute_error"), is_error_metric("rmse"), is_error_metric("r2")
    (True, True, False)
    """
    if not isinstance(name, str):
        return False
    return REGRESSION_SCORERS.get(name, name).startswith("neg_")


def metric_range(name: str | None) -> tuple[float, float]:
    """The interval the scorer of metric ``name`` returns values in.

    ``[0, 1]`` for accuracy, precision, recall, F1, ROC AUC and the like, ``[-1, 1]`` for
    the Matthews correlation, ``(-inf, 1]`` for R² and explained variance, ``(-inf, 0]`` for
    negated errors; ``(-inf, inf)`` for callables (None) and names it does not know.

    Examples
    --------
    >>> metric_range("precision_macro"), metric_range("r2"), metric_range("rmse")
    ((0.0, 1.0), (-inf, 1.0), (-inf, 0.0))
    """
    if not isinstance(name, str):
        return (-math.inf, math.inf)
    if is_error_metric(name):
        return (-math.inf, 0.0)
    for key, bounds in _RANGES.items():
        if name == key or name.startswith(key if key.endswith("_") else f"{key}_"):
            return bounds
    return (-math.inf, math.inf)
