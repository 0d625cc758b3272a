"""scikit-learn side of skdeep: one estimator class per model family."""

from ._ann import ANNClassifier

__all__ = ["ANNClassifier"]
