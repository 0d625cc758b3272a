"""Checks of the data passed to ``fit``/``predict``: one pass each, errors that name the input.

Every check raises :class:`~skdeep.exceptions.DataError` (a ``ValueError``) with the shape
"what is wrong. Expected ... Received: ...", and never prints a whole array.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import DataConversionWarning
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import validate_data

from ..exceptions import DataError, describe
from ..utils._compat import _check_sample_weight

__all__ = [
    "as_float32",
    "check_classification_y",
    "check_regression_y",
    "check_features",
    "check_sample_weight",
    "n_samples",
    "plain",
    "validated",
]

_FLOAT32_MAX = float(np.finfo(np.float32).max)


def n_samples(x) -> int:
    """Number of samples of an array-like; DataError for something that is not one."""
    shape = getattr(x, "shape", None)
    if shape is None and hasattr(x, "__array__"):
        shape = np.asarray(x).shape
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    try:
        return len(x)
    except TypeError:
        raise DataError(f"Expected array-like input. Received: {describe(x)}") from None


def dtype_of(x) -> np.dtype | None:
    dtype = getattr(x, "dtype", None)
    if isinstance(dtype, np.dtype):
        return dtype
    try:
        return np.asarray(x).dtype
    except Exception:  # ragged or exotic input: leave it to check_array
        return None


def ndim_of(x) -> int | None:
    ndim = getattr(x, "ndim", None)
    if ndim is None:
        try:
            ndim = np.ndim(x)
        except Exception:  # ragged or exotic input: leave it to check_array
            return None
    return int(ndim)


def plain(value):
    """numpy scalar -> Python scalar, so dict keys compare equal to ``classes_.tolist()``."""
    return value.item() if isinstance(value, np.generic) else value


def reject_complex(X, what: str = "features") -> None:
    dtype = dtype_of(X)
    if dtype is not None and dtype.kind == "c":
        raise DataError(
            f"Complex data not supported. Expected real-valued {what}. Received: X of dtype {dtype}"
        )


def as_float32(X: np.ndarray, feature_names=None) -> np.ndarray:
    """``X`` as float32, refusing values float32 cannot hold (they would become inf).

    ``X`` has been checked finite already; a float64 value beyond float32's range (about
    3.4e38) would turn into infinity and then into NaN probabilities or a NaN loss.

    Examples
    --------
    >>> import numpy as np
    >>> as_float32(np.array([[1.0, 1e39]]))
    Traceback (most recent call last):
    ...
    skdeep.exceptions.DataError: X holds a value float32 cannot represent...
    """
    with np.errstate(over="ignore"):
        out = np.asarray(X, dtype=np.float32)
    if out.dtype != X.dtype and np.isinf(out).any():
        flat = np.argwhere(np.isinf(out))[0]
        value = float(X[tuple(flat)])
        column = int(flat[1]) if out.ndim > 1 else 0
        name = (
            f"{feature_names[column]!r} (index {column})" if feature_names is not None else column
        )
        raise DataError(
            "X holds a value float32 cannot represent: skdeep's networks compute in float32, "
            f"whose largest value is {_FLOAT32_MAX:.3g}. Expected values within that range "
            f"(scale the features, e.g. StandardScaler). Received: {value!r} in column {name} "
            f"of sample {int(flat[0])}"
        )
    return out


def check_features(est, X, *, reset: bool, allow_nd: bool = False) -> np.ndarray:
    """Validate ``X`` (2-D, or any rank >= 2 with ``allow_nd``) and return it as float32.

    Sets (``reset``) or checks ``n_features_in_`` / ``feature_names_in_`` as scikit-learn does.
    """
    reject_complex(X)
    if ndim_of(X) == 1:
        raise DataError(
            f"{type(est).__name__} expects a 2-D array of shape (n_samples, n_features). "
            "Reshape your data: X.reshape(-1, 1) for a single feature, X.reshape(1, -1) "
            f"for a single sample. Received: X with shape {np.shape(X)}"
        )
    X = validated(est, X, reset=reset, allow_nd=allow_nd)
    return as_float32(X, getattr(est, "feature_names_in_", None))


def validated(est, X, *, reset: bool, allow_nd: bool = False) -> np.ndarray:
    """scikit-learn's ``validate_data`` (feature count and names, finiteness, numeric dtype),
    its errors raised as :class:`~skdeep.exceptions.DataError`."""
    try:
        return validate_data(est, X, reset=reset, dtype=[np.float32, np.float64], allow_nd=allow_nd)
    except DataError:
        raise
    except ValueError as exc:
        raise DataError(str(exc)) from exc


def check_classification_y(est, y, n_x: int, *, require_two: bool) -> np.ndarray:
    """Validate classification labels ``y`` for ``n_x`` samples; return a 1-D array."""
    name = type(est).__name__
    if y is None:
        raise DataError(f"{name} requires y to be passed, but the target y is None.")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected. Please change the "
            "shape of y to (n_samples,), for example using ravel().",
            DataConversionWarning,
            stacklevel=4,
        )
        y = y.ravel()
    if y.ndim != 1:
        raise DataError(
            f"{name} expects y of shape (n_samples,) with one label per sample. "
            f"Received: y with shape {y.shape}"
        )
    if n_x != len(y):
        raise DataError(
            "X and y have different numbers of samples. Expected equal lengths. "
            f"Received: X with {n_x} samples, y with {len(y)} samples"
        )
    if y.dtype.kind in "fc" and not np.all(np.isfinite(y)):
        raise DataError("Input y contains NaN or infinity. Received: y with non-finite labels")
    check_classification_targets(y)
    kind = type_of_target(y)
    if kind not in ("binary", "multiclass"):
        raise DataError(
            f"{name} supports binary and multiclass targets. Received: y of type {kind!r}"
        )
    if require_two:
        labels = np.unique(y)
        if len(labels) < 2:
            raise DataError(
                f"{name} needs samples of at least 2 classes in the data. "
                f"Received: y with one class only, {describe(plain(labels[0]))}"
            )
    return y


def check_sample_weight(sample_weight, X) -> np.ndarray | None:
    """Per-sample weights as float32: finite, non-negative, not all zero, one per sample."""
    if sample_weight is None:
        return None
    n = len(X)
    if hasattr(sample_weight, "__len__") and n_samples(sample_weight) != n:
        raise DataError(
            "sample_weight must have one weight per sample. Expected length "
            f"{n}. Received: sample_weight with length {n_samples(sample_weight)}"
        )
    sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float32)
    if np.any(sample_weight < 0) or not np.all(np.isfinite(sample_weight)):
        raise DataError(
            "sample_weight must be finite and non-negative. Received: "
            f"min={sample_weight.min()}, max={sample_weight.max()}"
        )
    if not np.any(sample_weight > 0):
        raise DataError(
            "Sample weights must contain at least one non-zero number; all "
            "sample_weight values are zero, so there is nothing to train on."
        )
    return sample_weight


def check_regression_y(est, y, n_x: int) -> np.ndarray:
    """Validate regression targets for ``n_x`` samples: 1-D or 2-D, numeric, finite.

    Returns float64 ``(n, n_outputs)``.
    """
    name = type(est).__name__
    if y is None:
        raise DataError(f"{name} requires y to be passed, but the target y is None.")
    y = np.asarray(y)
    if y.dtype.kind == "O":
        try:
            y = y.astype(np.float64)
        except (TypeError, ValueError):
            pass
    if y.dtype.kind not in "biuf":
        raise DataError(
            f"{name} predicts numbers: Unknown label type for a regressor. Expected a numeric "
            f"y (for labels, use a classifier). Received: y of dtype {y.dtype}"
        )
    if y.ndim not in (1, 2) or (y.ndim == 2 and y.shape[1] == 0):
        raise DataError(
            f"{name} expects y of shape (n_samples,) or (n_samples, n_outputs). "
            f"Received: y with shape {y.shape}"
        )
    if n_x != len(y):
        raise DataError(
            "X and y have different numbers of samples. Expected equal lengths. "
            f"Received: X with {n_x} samples, y with {len(y)} samples"
        )
    y = y.astype(np.float64).reshape(len(y), -1)
    if not np.all(np.isfinite(y)):
        raise DataError("Input y contains NaN or infinity. Received: y with non-finite targets")
    if np.abs(y).max(initial=0.0) > _FLOAT32_MAX:
        raise DataError(
            f"y holds values float32 cannot represent. Expected |y| <= {_FLOAT32_MAX:.3g}. "
            f"Received: max |y| = {np.abs(y).max():.3g}"
        )
    return y
