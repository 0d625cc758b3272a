"""The model families skdeep ships: one table, read by the CLI, saving/loading, search spaces
and the test suite.

This module imports nothing heavy (no Keras), so command-line parsing and config checks can
name and validate a family before TensorFlow is loaded; :func:`estimator_class` imports the
class on use.
"""

from __future__ import annotations

import importlib

from .exceptions import ParameterError

__all__ = [
    "ESTIMATOR_NAMES",
    "FAMILIES",
    "REGRESSORS",
    "estimator_class",
    "estimator_class_name",
    "parameter_names",
]

#: Family name (``--estimator``, ``estimator = "..."`` in a config) -> class in skdeep.estimators.
FAMILIES: dict[str, str] = {
    "ann": "ANNClassifier",
    "cnn": "CNNClassifier",
    "transfer": "TransferClassifier",
}
#: Family name -> its regressor class in skdeep.estimators (families that have one).
REGRESSORS: dict[str, str] = {
    "ann": "ANNRegressor",
    "cnn": "CNNRegressor",
}
#: Every public estimator class name: the families' and the user's own network.
ESTIMATOR_NAMES: tuple[str, ...] = (
    *FAMILIES.values(),
    *REGRESSORS.values(),
    "KerasClassifier",
    "KerasRegressor",
)


def estimator_class(name: str, task: str = "classification") -> type:
    """The estimator class of family ``name`` (imports skdeep's estimators, hence Keras).

    Parameters
    ----------
    name : str
        A family of :data:`FAMILIES`.
    task : {"classification", "regression"}, default="classification"
        The family's classifier, or its regressor (:data:`REGRESSORS`).

    Examples
    --------
    >>> estimator_class("ann").__name__, estimator_class("ann", "regression").__name__
    ('ANNClassifier', 'ANNRegressor')
    """
    class_name = estimator_class_name(name, task)
    return getattr(importlib.import_module("skdeep.estimators"), class_name)


def parameter_names(name: str, task: str = "classification") -> frozenset[str]:
    """The ``__init__`` parameter names of family ``name``, read without importing Keras.

    They come from :data:`skdeep._parameters.SIGNATURES`, where the estimators' signatures are
    declared, so the command line can reject a misspelt ``--param`` before TensorFlow loads.

    Examples
    --------
    >>> "units" in parameter_names("ann"), "loss" in parameter_names("ann", "regression")
    (True, True)
    """
    from ._parameters import SIGNATURES

    return frozenset(p.name for p in SIGNATURES[estimator_class_name(name, task)])


def estimator_class_name(name: str, task: str = "classification") -> str:
    """The class name of family ``name`` for ``task`` (``"ann"`` -> ``"ANNClassifier"``,
    ``("ann", "regression")`` -> ``"ANNRegressor"``)."""
    if task not in ("classification", "regression"):
        raise ParameterError(
            f"Unknown task. Expected 'classification' or 'regression'. Received: task={task!r}"
        )
    if not isinstance(name, str) or name not in FAMILIES:
        raise ParameterError(
            f"Unknown model family. Expected one of {sorted(FAMILIES)}. Received: {name!r}"
        )
    if task == "regression":
        if name not in REGRESSORS:
            raise ParameterError(
                f"The {name!r} family has no regressor. Expected one of {sorted(REGRESSORS)} "
                f"for a regression target. Received: estimator={name!r}"
            )
        return REGRESSORS[name]
    return FAMILIES[name]
