"""Keras side of skdeep: builder functions with plain keyword arguments that return models.

Nothing in this package imports scikit-learn.
"""

from .. import _keras  # noqa: F401  # isort: skip  (Keras backend set-up first)
from ._ann import build_ann
from ._cnn import build_cnn
from ._transfer import BASES, build_transfer
from .augmentation import augmentation_layers
from .optimizers import make_optimizer

__all__ = [
    "BASES",
    "augmentation_layers",
    "build_ann",
    "build_cnn",
    "build_transfer",
    "make_optimizer",
]
