"""Keras side of skdeep: builder functions with plain keyword arguments that return models.

Nothing in this package imports scikit-learn.
"""

from ._ann import build_ann
from ._cnn import build_cnn
from .augmentation import augmentation_layers
from .optimizers import make_optimizer

__all__ = ["augmentation_layers", "build_ann", "build_cnn", "make_optimizer"]
