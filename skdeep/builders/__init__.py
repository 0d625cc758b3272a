"""Keras side of skdeep: builder functions with plain keyword arguments that return models.

Nothing in this package imports scikit-learn.
"""

from ._ann import build_ann
from .optimizers import make_optimizer

__all__ = ["build_ann", "make_optimizer"]
