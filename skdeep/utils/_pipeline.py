"""Where the predicting estimator sits inside Pipelines and fitted searches; per-fold fit params."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..exceptions import ParameterError

__all__ = ["final_step", "fold_params", "num_samples"]


def final_step(estimator: Any, *, unwrap_search: bool = False) -> tuple[Any, str]:
    """The estimator at the end of (nested) Pipelines, and its parameter prefix.

    Parameters
    ----------
    estimator : estimator
        A Pipeline (possibly nested), a fitted search (with ``unwrap_search``) or an
        estimator.
    unwrap_search : bool, default=False
        Also step into the ``best_estimator_`` of a fitted search. The prefix then describes
        the path inside ``best_estimator_``.

    Returns
    -------
    (estimator, prefix)
        ``prefix`` is what parameter names of the final step carry in ``set_params`` of the
        outer object, e.g. ``"annclassifier__"``.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.linear_model import LogisticRegression
    >>> final_step(make_pipeline(StandardScaler(), LogisticRegression()))[1]
    'logisticregression__'
    """
    prefix = ""
    while True:
        steps = getattr(estimator, "steps", None)
        if isinstance(steps, list) and steps:
            name, step = steps[-1]
            if step is None or isinstance(step, str):
                raise ParameterError(
                    "The last step of the Pipeline is not an estimator. Expected an estimator "
                    f"as the final step. Received: {name}={step!r}"
                )
            prefix += f"{name}__"
            estimator = step
        elif unwrap_search and "best_estimator_" in getattr(estimator, "__dict__", {}):
            estimator, prefix = estimator.best_estimator_, ""
        else:
            return estimator, prefix


def num_samples(x: Any) -> int:
    """Length of the first axis of an array-like (lists, arrays, DataFrames)."""
    shape = getattr(x, "shape", None)
    return int(shape[0]) if shape is not None and len(shape) else len(x)


def fold_params(params: Mapping[str, Any], n_samples: int, indices: np.ndarray) -> dict:
    """Fit parameters of one fold: per-sample arrays (length ``n_samples``) indexed like X.

    Examples
    --------
    >>> import numpy as np
    >>> fold_params({"sample_weight": np.arange(4.0), "tag": "x"}, 4, np.array([0, 2]))
    {'sample_weight': array([0., 2.]), 'tag': 'x'}
    """
    from ._compat import _safe_indexing

    out = {}
    for key, value in params.items():
        if (
            value is not None
            and not isinstance(value, (str, bytes, Mapping))
            and hasattr(value, "__len__")
            and num_samples(value) == n_samples
        ):
            out[key] = _safe_indexing(value, indices)
        else:
            out[key] = value
    return out
