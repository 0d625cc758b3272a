"""skdeep: Keras models as first-class scikit-learn estimators."""

from ._backend import import_keras

import_keras()

from ._persistence import audit, load  # noqa: E402
from .estimators import (  # noqa: E402
    ANNClassifier,
    CNNClassifier,
    KerasClassifier,
    TransferClassifier,
)

__version__ = "0.1.0"
__all__ = [
    "ANNClassifier",
    "CNNClassifier",
    "KerasClassifier",
    "TransferClassifier",
    "__version__",
    "audit",
    "load",
]
