"""Regression scorers under short names (``"mae"``, ``"rmse"``, ``"r2"``...).

scikit-learn's error scorers are negated (``neg_mean_absolute_error``: greater is better, so
that every search maximises); skdeep's short names are the same scorers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..exceptions import ParameterError

__all__ = ["DEFAULT_REGRESSION_SCORERS", "REGRESSION_SCORERS", "make_regression_scorers"]

#: skdeep's short regression metric names -> the scikit-learn scorer each one is.
REGRESSION_SCORERS: dict[str, str] = {
    "mae": "neg_mean_absolute_error",
    "rmse": "neg_root_mean_squared_error",
    "mse": "neg_mean_squared_error",
    "median_ae": "neg_median_absolute_error",
    "mape": "neg_mean_absolute_percentage_error",
    "max_error": "neg_max_error",
    "r2": "r2",
    "explained_variance": "explained_variance",
}
#: What a regression study reports when ``scoring`` is None.
DEFAULT_REGRESSION_SCORERS = ("mae", "rmse", "r2")


def make_regression_scorers(names: Iterable[str] | None = None) -> dict[str, Callable]:
    """Regression scorers for multi-metric ``scoring=``, keyed by skdeep's short names.

    Parameters
    ----------
    names : iterable of str, default=None
        Names from :data:`REGRESSION_SCORERS`; None gives ``mae``, ``rmse`` and ``r2``.

    Returns
    -------
    dict of str to callable
        scikit-learn's scorers: the errors are negated (greater is better), as every search
        expects. Use as ``GridSearchCV(..., scoring=make_regression_scorers(), refit="r2")``.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.linear_model import Ridge
    >>> X, y = load_diabetes(return_X_y=True)
    >>> scorers = make_regression_scorers()
    >>> model = Ridge().fit(X, y)
    >>> {name: round(float(s(model, X, y)), 2) for name, s in scorers.items()}
    {'mae': -47.61, 'rmse': -57.05, 'r2': 0.45}
    """
    from sklearn.metrics import get_scorer

    names = DEFAULT_REGRESSION_SCORERS if names is None else tuple(names)
    unknown = [n for n in names if n not in REGRESSION_SCORERS]
    if unknown:
        raise ParameterError(
            f"Unknown regression metric name. Expected names among {list(REGRESSION_SCORERS)}. "
            f"Received: {unknown}"
        )
    return {name: get_scorer(REGRESSION_SCORERS[name]) for name in names}
