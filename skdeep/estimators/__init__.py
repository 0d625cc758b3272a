"""scikit-learn side of skdeep: one estimator class per model family."""

from ._ann import ANNClassifier
from ._cnn import CNNClassifier

__all__ = ["ANNClassifier", "CNNClassifier"]
