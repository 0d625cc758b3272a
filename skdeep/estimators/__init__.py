"""scikit-learn side of skdeep: one estimator class per model family and task."""

from .. import _keras  # noqa: F401  # isort: skip  (Keras backend set-up first)
from .._families import ESTIMATOR_NAMES
from ._ann import ANNClassifier, ANNRegressor
from ._cnn import CNNClassifier, CNNRegressor
from ._transfer import TransferClassifier
from ._user_estimators import KerasClassifier, KerasRegressor

#: Every public estimator class, by class name (:data:`skdeep._families.ESTIMATOR_NAMES`).
ESTIMATORS: dict[str, type] = {name: globals()[name] for name in ESTIMATOR_NAMES}

__all__ = [
    "ESTIMATORS",
    "ANNClassifier",
    "ANNRegressor",
    "CNNClassifier",
    "CNNRegressor",
    "KerasClassifier",
    "KerasRegressor",
    "TransferClassifier",
]
