"""scikit-learn side of skdeep: one estimator class per model family."""

from ._ann import ANNClassifier
from ._cnn import CNNClassifier
from ._transfer import TransferClassifier

__all__ = ["ANNClassifier", "CNNClassifier", "TransferClassifier"]
