"""skdeep: Keras models as first-class scikit-learn classifiers."""

from ._backend import import_keras

import_keras()

from ._persistence import load  # noqa: E402
from .estimators import ANNClassifier, CNNClassifier, TransferClassifier  # noqa: E402

__version__ = "0.1.0"
__all__ = ["ANNClassifier", "CNNClassifier", "TransferClassifier", "__version__", "load"]
