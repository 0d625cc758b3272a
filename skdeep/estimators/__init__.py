"""scikit-learn side of skdeep: one estimator class per model family."""

from .. import _keras  # noqa: F401  # isort: skip  (Keras backend set-up first)
from .._families import FAMILIES
from ._ann import ANNClassifier
from ._cnn import CNNClassifier
from ._transfer import TransferClassifier

#: Family name -> estimator class (the classes of :data:`skdeep._families.FAMILIES`).
ESTIMATORS: dict[str, type] = {name: globals()[cls] for name, cls in FAMILIES.items()}

__all__ = ["ESTIMATORS", "ANNClassifier", "CNNClassifier", "TransferClassifier"]
