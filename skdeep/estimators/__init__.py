"""scikit-learn side of skdeep: one estimator class per model family."""

from .. import _keras  # noqa: F401  # isort: skip  (Keras backend set-up first)
from .._families import FAMILIES
from ._ann import ANNClassifier
from ._cnn import CNNClassifier
from ._transfer import TransferClassifier
from ._user import KerasClassifier

#: Every estimator class by name: skdeep's families (:data:`skdeep._families.FAMILIES`, the
#: ones the command line offers) and ``"keras"``, the user's own network.
ESTIMATORS: dict[str, type] = {
    **{name: globals()[cls] for name, cls in FAMILIES.items()},
    "keras": KerasClassifier,
}

__all__ = ["ESTIMATORS", "ANNClassifier", "CNNClassifier", "KerasClassifier", "TransferClassifier"]
