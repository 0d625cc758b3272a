"""Typed errors raised by skdeep.

Every error subclasses the built-in (or scikit-learn) exception that scikit-learn code already
catches, so ``GridSearchCV(error_score=np.nan)`` and user ``except ValueError`` blocks keep
working. Messages follow one shape: what is wrong, what was expected, what was received.

This module imports nothing heavy: :class:`NotFittedError`, which subclasses scikit-learn's,
is created on first access, so the ``skdeep`` command can raise and catch skdeep's errors
without loading scikit-learn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "DataError",
    "DatasetNotFoundError",
    "ImageShapeError",
    "NotFittedError",
    "ParameterError",
    "SkdeepError",
    "TrainingDivergedError",
]


class SkdeepError(Exception):
    """Base class of every error raised by skdeep itself."""


class ParameterError(SkdeepError, ValueError):
    """A parameter, or a combination of parameters, is invalid."""


class DataError(SkdeepError, ValueError):
    """The data passed to ``fit``/``predict`` cannot be used (shape, values, labels)."""


class ImageShapeError(DataError):
    """Image input does not match the expected rank or ``image_shape``."""


class DatasetNotFoundError(SkdeepError, FileNotFoundError):
    """A dataset is neither installed locally nor downloadable; the message says how to get it."""


if TYPE_CHECKING:  # pragma: no cover
    from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

    class NotFittedError(SkdeepError, _SklearnNotFittedError):
        """The estimator is used before ``fit``."""


def _not_fitted_error() -> type:
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError

    class NotFittedError(SkdeepError, SklearnNotFittedError):
        """The estimator is used before ``fit``."""

    NotFittedError.__module__ = __name__
    NotFittedError.__qualname__ = "NotFittedError"
    return NotFittedError


def __getattr__(name: str) -> Any:
    if name == "NotFittedError":  # subclasses sklearn's: created when first asked for
        globals()[name] = value = _not_fitted_error()
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class TrainingDivergedError(SkdeepError, ValueError):
    """The training loss became NaN or infinite; the model would predict garbage."""


def describe(value: object, limit: int = 80) -> str:
    """Short ``repr`` for error messages (never dump a whole array)."""
    shape = getattr(value, "shape", None)
    if shape is not None and getattr(value, "size", 0) > 8:
        dtype = getattr(value, "dtype", "?")
        return f"<{type(value).__name__} of shape {tuple(shape)} and dtype {dtype}>"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
