"""Image input shared by CNNClassifier and TransferClassifier: three layouts, uint8 scaling."""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np

from .._training._data import as_float32, ndim_of, reject_complex, validated
from ..builders.augmentation import AUGMENTATIONS, FLIP_MODES
from ..exceptions import DataError, ImageShapeError, ParameterError, describe
from ..utils._compat import Interval, StrOptions

__all__ = ["AUGMENTATION_CONSTRAINTS", "ImageInputMixin", "normalized_image_shape"]


def _constraint(kind: str) -> list:
    if kind == "flip":
        return [None, StrOptions(set(FLIP_MODES))]
    if kind == "fraction":
        return [Interval(Real, 0, 1, closed="left")]
    return [Interval(Real, 0, None, closed="left")]


#: Parameter constraints of the augmentation knobs, from the registry of the builders.
AUGMENTATION_CONSTRAINTS: dict = {
    name: _constraint(spec.kind) for name, spec in AUGMENTATIONS.items()
}


def normalized_image_shape(image_shape) -> tuple[int, int, int] | None:
    """``image_shape`` as ``(height, width, channels)``; ParameterError when malformed."""
    if image_shape is None:
        return None
    dims = tuple(image_shape)
    if len(dims) not in (2, 3) or not all(
        isinstance(d, Integral) and not isinstance(d, bool) and d >= 1 for d in dims
    ):
        raise ParameterError(
            "image_shape must be (height, width) or (height, width, channels) with positive "
            f"integers. Received: image_shape={describe(image_shape)}"
        )
    dims = tuple(int(d) for d in dims)
    return dims if len(dims) == 3 else (*dims, 1)


def is_uint8(X) -> bool:
    dtype = getattr(X, "dtype", None)
    if dtype is not None:
        return dtype == np.uint8
    dtypes = getattr(X, "dtypes", None)  # DataFrame
    if dtypes is not None:
        return len(dtypes) > 0 and all(dt == np.uint8 for dt in dtypes)
    return False


class ImageInputMixin:
    """Images as ``(n, height, width)``, ``(n, height, width, channels)`` or flat ``(n, h*w*c)``.

    ``uint8`` input is divided by 255; the network sees float32 ``(n, height, width,
    channels)``. ``image_shape_`` is fixed by the first fit; ``n_features_in_`` is
    ``height * width * channels`` whatever the layout.
    """

    #: Channel counts the network accepts (None: any).
    _channels: tuple[int, ...] | None = None
    #: Fitted attributes documented in the image estimators' docstrings.
    _attribute_docs = {
        "image_shape_": (
            "tuple of int",
            "``(height, width, channels)`` of the images the network takes.",
        ),
        "n_features_in_": ("int", "``height * width * channels``."),
    }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags

    def _check_family_params(self) -> None:
        normalized_image_shape(self.image_shape)

    def _fitted_image_shape(self) -> tuple[int, ...]:
        # image_shape_ is also recoverable from the network (e.g. after loading a saved model)
        shape = getattr(self, "image_shape_", None)
        return tuple(self.model_.input_shape[1:]) if shape is None else shape

    def _check_X(self, X, *, reset: bool) -> np.ndarray:
        """Validate X in any of the three layouts; return float32 ``(n, h, w, c)`` images."""
        reject_complex(X, "pixels")
        ndim = ndim_of(X)
        if ndim == 1:
            raise DataError(
                f"{type(self).__name__} expects images of shape (n_samples, height, width), "
                "(n_samples, height, width, channels) or flattened (n_samples, n_features). "
                "Reshape your data: X.reshape(1, -1) for a single flattened image. "
                f"Received: X with shape {np.shape(X)}"
            )
        scale = is_uint8(X)
        received = None  # the image part of the shape, for 3-D/4-D input
        if ndim is not None and ndim >= 3:
            X = np.asarray(X)
            received = self._image_part(X, reset)
            X = X.reshape(X.shape[0], math.prod(X.shape[1:]))
        X = validated(self, X, reset=reset)
        X = as_float32(X, getattr(self, "feature_names_in_", None))
        shape = X.shape if received is None else (len(X), *received)
        if scale:
            X /= np.float32(255)  # a new float32 array: uint8 input is always converted
        if reset:
            self.image_shape_ = self._resolve_image_shape(received, X.shape[1], shape)
        images = X.reshape((X.shape[0], *self._fitted_image_shape()))
        if self._channels is not None and images.shape[-1] not in self._channels:
            accepted = " or ".join(str(c) for c in self._channels)
            raise ImageShapeError(
                f"{type(self).__name__} takes images with {accepted} channels. Expected images "
                f"of shape (height, width, {accepted}). Received: images of shape "
                f"{images.shape[1:]}"
            )
        return images

    def _image_part(self, X: np.ndarray, reset: bool) -> tuple[int, ...]:
        if X.ndim > 4:
            raise ImageShapeError(
                f"{type(self).__name__} takes images of rank 3 (n_samples, height, width) "
                f"or 4 (n_samples, height, width, channels). Received: X with shape {X.shape}"
            )
        received = tuple(X.shape[1:]) if X.ndim == 4 else (*X.shape[1:], 1)
        if not reset and received != self._fitted_image_shape():
            raise ImageShapeError(
                f"X holds images of another shape than those seen in fit. Expected images of "
                f"shape {self._fitted_image_shape()}. Received: X with shape {X.shape}"
            )
        return received

    def _resolve_image_shape(
        self, received: tuple[int, ...] | None, n_features: int, shape: tuple
    ) -> tuple[int, int, int]:
        expected = normalized_image_shape(self.image_shape)
        if expected is not None:
            if received is not None and received != expected:
                raise ImageShapeError(
                    f"X holds images of another shape than image_shape. Expected images of "
                    f"shape {expected}. Received: X with shape {shape}, "
                    f"image_shape={self.image_shape!r}"
                )
            if received is None and math.prod(expected) != n_features:
                raise ImageShapeError(
                    f"Flat X must have height * width * channels = {math.prod(expected)} "
                    f"columns for image_shape={self.image_shape!r}. Received: X with shape "
                    f"{shape}"
                )
            return expected
        if received is not None:
            return received
        side = math.isqrt(n_features)
        if side * side == n_features:
            return (side, side, 1)
        return (1, n_features, 1)
