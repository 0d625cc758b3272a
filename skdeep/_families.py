"""The model families skdeep ships: one table, read by the CLI, saving/loading, search spaces
and the test suite.

This module imports nothing heavy (no Keras), so command-line parsing and config checks can
name and validate a family before TensorFlow is loaded; :func:`estimator_class` imports the
class on use.
"""

from __future__ import annotations

import importlib

from .exceptions import ParameterError

__all__ = ["FAMILIES", "estimator_class"]

#: Family name (``--estimator``, ``estimator = "..."`` in a config) -> class in skdeep.estimators.
FAMILIES: dict[str, str] = {
    "ann": "ANNClassifier",
    "cnn": "CNNClassifier",
    "transfer": "TransferClassifier",
    "keras": "KerasClassifier",
}


def estimator_class(name: str) -> type:
    """The estimator class of family ``name`` (imports skdeep's estimators, hence Keras).

    Examples
    --------
    >>> estimator_class("ann").__name__
    'ANNClassifier'
    """
    try:
        class_name = FAMILIES[name]
    except (KeyError, TypeError):
        raise ParameterError(
            f"Unknown model family. Expected one of {sorted(FAMILIES)}. Received: {name!r}"
        ) from None
    return getattr(importlib.import_module("skdeep.estimators"), class_name)
