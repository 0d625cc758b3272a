"""Keras side of skdeep: builder functions with plain keyword arguments that return models.

Nothing in this package imports scikit-learn. The vocabularies (activations, initializers,
poolings, flip modes, bases, optimizers, augmentations) are exported beside the builders: the
estimators build their parameter constraints from them, so names cannot drift.
"""

from .. import _keras  # noqa: F401  # isort: skip  (Keras backend set-up first)
from ._ann import build_ann
from ._bases import BASES, BaseSpec
from ._blocks import ACTIVATIONS, INITIALIZERS, output_head, output_units
from ._cnn import POOLINGS, build_cnn
from ._transfer import build_transfer
from .augmentation import AUGMENTATIONS, FLIP_MODES, augmentation_layers
from .optimizers import MOMENTUM_OPTIMIZERS, OPTIMIZERS, make_optimizer

__all__ = [
    "ACTIVATIONS",
    "AUGMENTATIONS",
    "BASES",
    "BaseSpec",
    "FLIP_MODES",
    "INITIALIZERS",
    "MOMENTUM_OPTIMIZERS",
    "OPTIMIZERS",
    "POOLINGS",
    "augmentation_layers",
    "build_ann",
    "build_cnn",
    "build_transfer",
    "make_optimizer",
    "output_head",
    "output_units",
]
