"""skdeep: Keras models as first-class scikit-learn estimators.

The public names are imported on first use (PEP 562), so ``import skdeep`` and the ``skdeep``
command start without loading Keras; ``from skdeep import ANNClassifier`` imports Keras, with
skdeep's backend set-up applied first (see :mod:`skdeep._keras`). Subpackages
(``skdeep.metrics``, ``skdeep.model_selection``, ...) are likewise imported when first
accessed as attributes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> module defining it.
_EXPORTS = {
    "ANNClassifier": "skdeep.estimators",
    "ANNRegressor": "skdeep.estimators",
    "CNNClassifier": "skdeep.estimators",
    "CNNRegressor": "skdeep.estimators",
    "KerasClassifier": "skdeep.estimators",
    "KerasRegressor": "skdeep.estimators",
    "TransferClassifier": "skdeep.estimators",
    "audit": "skdeep._persistence",
    "load": "skdeep._persistence",
}
#: Subpackages reachable as attributes of ``skdeep`` without an explicit import.
_SUBMODULES = frozenset(
    {
        "builders",
        "datasets",
        "estimators",
        "evaluation",
        "exceptions",
        "metrics",
        "model_selection",
        "plotting",
        "pretrained",
    }
)

__all__ = [
    "ANNClassifier",
    "ANNRegressor",
    "CNNClassifier",
    "CNNRegressor",
    "KerasClassifier",
    "KerasRegressor",
    "TransferClassifier",
    "__version__",
    "audit",
    "load",
]

if TYPE_CHECKING:  # pragma: no cover
    from ._persistence import audit, load
    from .estimators import (
        ANNClassifier,
        ANNRegressor,
        CNNClassifier,
        CNNRegressor,
        KerasClassifier,
        KerasRegressor,
        TransferClassifier,
    )


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"skdeep.{name}")
    else:
        raise AttributeError(f"module 'skdeep' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBMODULES})
