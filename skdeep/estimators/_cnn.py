"""CNNClassifier: convolutional networks for images, with training-only augmentation."""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

import keras
import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

from ..base import SkdeepClassifier, _dtype, _ndim
from ..builders._blocks import ACTIVATIONS
from ..builders._cnn import POOLINGS, build_cnn
from ..builders.augmentation import FLIP_MODES
from ..exceptions import DataError, ImageShapeError, ParameterError, describe


class CNNClassifier(SkdeepClassifier):
    """Convolutional neural network classifier for images, tunable like any sklearn model.

    ``n_blocks`` convolutional blocks (``convs_per_block`` convolutions each, ``filters``
    doubling per block, then 2x2 pooling) feed a dense layer and the output layer.
    Augmentation (``flip``, ``rotation``, ``zoom``, ``translation``, ``contrast``,
    ``gaussian_noise``) is made of Keras layers that act during training only: validation
    splits, cross-validation test folds and predictions always see the original images.
    Every parameter is a flat scalar, so ``GridSearchCV``,
    ``RandomizedSearchCV`` and ``BayesSearchCV`` can search all of them.

    **Input layouts.** ``X`` may be

    * ``(n_samples, height, width)`` grayscale images,
    * ``(n_samples, height, width, channels)`` images (channels last),
    * ``(n_samples, n_features)`` flattened images, e.g. after a scikit-learn transformer in a
      ``Pipeline``. Their shape is ``image_shape`` when given (``n_features`` must equal
      ``height * width * channels``); otherwise square grayscale images when ``n_features`` is
      a perfect square (784 -> 28x28), and one-row images ``(1, n_features, 1)`` otherwise, so
      that plain tabular data trains a 1-D convolution along its columns.

    A fitted model accepts any of the layouts whose images have the fitted ``image_shape_``.
    ``n_features_in_`` is ``height * width * channels`` whatever the layout.

    **Scaling.** Input of dtype ``uint8`` (NumPy array, or DataFrame whose columns are all
    ``uint8``) is divided by 255, so raw 0-255 images train well as loaded. Every other dtype is
    used as given: float images are expected in a small range such as [0, 1]. Scaling learned
    from data (e.g. ``StandardScaler``) belongs in a ``Pipeline`` step, which is then fitted on
    each training fold only.

    Parameters
    ----------
    n_blocks : int, default=2
        Number of convolutional blocks ``(Conv2D -> [BatchNorm] -> activation) x
        convs_per_block -> pool -> [Dropout]``. Pooling is skipped once the feature map is down
        to 1x1 pixel, so any ``n_blocks`` works with any image size.
    convs_per_block : int, default=2
        Convolutions per block before its pooling (the VGG pattern). On Fashion-MNIST two
        convolutions of 16 filters per block beat one of 32 by almost a point of accuracy at
        the same compute (docs/images.md).
    filters : int, default=16
        Filters of the first block; block ``i`` has ``filters * 2**i``.
    kernel_size : int, default=3
        Side of the square convolution kernels ("same" padding).
    pooling : {"max", "avg"}, default="max"
        2x2 max or average pooling after each block.
    dense_units : int, default=128
        Width of the dense layer before the output; 0 leaves it out.
    activation : str, default="relu"
        One of "relu", "elu", "selu", "leaky_relu", "gelu", "tanh", "sigmoid", "swish",
        "silu", "softplus", "mish", "relu6", "linear".
    dropout : float, default=0.25
        Dropout rate after each block and after the dense layer, in [0, 1).
    l1, l2 : float, default=0.0
        L1 / L2 penalties on the convolution and dense kernels.
    batch_norm : bool, default=False
        Batch normalisation before each activation.
    image_shape : tuple of int or None, default=None
        ``(height, width)`` or ``(height, width, channels)`` of the images in flat 2-D ``X``.
        Checked against image input too.
    flip : {"horizontal", "vertical", "horizontal_and_vertical"} or None, default=None
        Random mirroring during training.
    rotation : float, default=0.0
        Maximum random rotation during training, as a fraction of a full turn in [0, 1)
        (0.05 = ±18 degrees).
    zoom : float, default=0.0
        Maximum random zoom in or out during training, as a fraction of the size, in [0, 1).
    translation : float, default=0.0
        Maximum random shift during training, as a fraction of height and width, in [0, 1).
    contrast : float, default=0.0
        Random contrast factor in ``[1 - contrast, 1 + contrast]`` during training, in [0, 1).
    gaussian_noise : float, default=0.0
        Standard deviation of Gaussian noise added to the images during training.
    optimizer, learning_rate, momentum, clipnorm, clipvalue, early_stopping, patience, \
validation_fraction, class_weight, sampler, warm_start, random_state, verbose
        Training parameters shared by every skdeep estimator; see
        :class:`skdeep.base.SkdeepClassifier`.
    batch_size : int, default=64
    epochs : int, default=10
        Maximum number of passes over the training data (a convolutional network on tens of
        thousands of images needs far fewer epochs than a small dense one).

    Attributes
    ----------
    model_ : keras.Model
        The trained network.
    classes_ : ndarray of shape (n_classes,)
        Class labels, in the column order of ``predict_proba``.
    image_shape_ : tuple of int
        ``(height, width, channels)`` of the images the network takes.
    n_features_in_ : int
        ``height * width * channels``.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.
    history_ : dict of str to list of float
        Per-epoch ``loss`` and ``accuracy`` (and ``val_loss``/``val_accuracy`` with early
        stopping).
    n_epochs_ : int
        Epochs actually run (fewer than ``epochs`` when early stopping triggered).
    best_epoch_ : int or None
        The epoch whose weights were restored (early stopping only).
    class_weight_ : dict or None
        Per-class weights used, resolved on the training part of the data.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skdeep import CNNClassifier
    >>> X, y = load_digits(return_X_y=True)  # 8x8 images, flattened, values 0-16
    >>> model = CNNClassifier(n_blocks=2, filters=16, epochs=5, random_state=0)
    >>> model.fit(X / 16, y).image_shape_
    (8, 8, 1)
    >>> model.score(X / 16, y) > 0.9
    True
    """

    _parameter_constraints: dict = {
        **SkdeepClassifier._parameter_constraints,
        "n_blocks": [Interval(Integral, 0, None, closed="left")],
        "convs_per_block": [Interval(Integral, 1, None, closed="left")],
        "filters": [Interval(Integral, 1, None, closed="left")],
        "kernel_size": [Interval(Integral, 1, None, closed="left")],
        "pooling": [StrOptions(set(POOLINGS))],
        "dense_units": [Interval(Integral, 0, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "l1": [Interval(Real, 0, None, closed="left")],
        "l2": [Interval(Real, 0, None, closed="left")],
        "batch_norm": ["boolean"],
        "image_shape": [None, tuple, list],
        "flip": [None, StrOptions(set(FLIP_MODES))],
        "rotation": [Interval(Real, 0, 1, closed="left")],
        "zoom": [Interval(Real, 0, 1, closed="left")],
        "translation": [Interval(Real, 0, 1, closed="left")],
        "contrast": [Interval(Real, 0, 1, closed="left")],
        "gaussian_noise": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        n_blocks: int = 2,
        convs_per_block: int = 2,
        filters: int = 16,
        kernel_size: int = 3,
        pooling: str = "max",
        dense_units: int = 128,
        activation: str = "relu",
        dropout: float = 0.25,
        l1: float = 0.0,
        l2: float = 0.0,
        batch_norm: bool = False,
        image_shape: tuple[int, ...] | None = None,
        flip: str | None = None,
        rotation: float = 0.0,
        zoom: float = 0.0,
        translation: float = 0.0,
        contrast: float = 0.0,
        gaussian_noise: float = 0.0,
        optimizer: str | keras.optimizers.Optimizer = "adam",
        learning_rate: float = 1e-3,
        momentum: float = 0.0,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        batch_size: int = 64,
        epochs: int = 10,
        early_stopping: bool = False,
        patience: int = 10,
        validation_fraction: float = 0.1,
        class_weight: str | dict | None = None,
        sampler: Any = None,
        warm_start: bool = False,
        random_state: int | None = None,
        verbose: int = 0,
    ) -> None:
        self.n_blocks = n_blocks
        self.convs_per_block = convs_per_block
        self.filters = filters
        self.kernel_size = kernel_size
        self.pooling = pooling
        self.dense_units = dense_units
        self.activation = activation
        self.dropout = dropout
        self.l1 = l1
        self.l2 = l2
        self.batch_norm = batch_norm
        self.image_shape = image_shape
        self.flip = flip
        self.rotation = rotation
        self.zoom = zoom
        self.translation = translation
        self.contrast = contrast
        self.gaussian_noise = gaussian_noise
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.batch_size = batch_size
        self.epochs = epochs
        self.early_stopping = early_stopping
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.class_weight = class_weight
        self.sampler = sampler
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose

    _builder = staticmethod(build_cnn)

    def _builder_params(self) -> dict[str, Any]:
        return {
            "n_blocks": self.n_blocks,
            "convs_per_block": self.convs_per_block,
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "pooling": self.pooling,
            "dense_units": self.dense_units,
            "activation": self.activation,
            "dropout": self.dropout,
            "l1": self.l1,
            "l2": self.l2,
            "batch_norm": self.batch_norm,
            "flip": self.flip,
            "rotation": self.rotation,
            "zoom": self.zoom,
            "translation": self.translation,
            "contrast": self.contrast,
            "gaussian_noise": self.gaussian_noise,
        }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags

    # ------------------------------------------------------------------ input handling
    def _check_params(self) -> None:
        super()._check_params()
        _normalized_image_shape(self.image_shape)

    def _fitted_image_shape(self) -> tuple[int, ...]:
        # image_shape_ is also recoverable from the network (e.g. after loading a saved model)
        shape = getattr(self, "image_shape_", None)
        return tuple(self.model_.input_shape[1:]) if shape is None else shape

    def _check_X(self, X, *, reset: bool) -> np.ndarray:
        """Validate X in any of the three layouts; return float32 ``(n, h, w, c)`` images."""
        dtype = _dtype(X)
        if dtype is not None and dtype.kind == "c":
            raise DataError(
                "Complex data not supported. Expected real-valued pixels. "
                f"Received: X of dtype {dtype}"
            )
        ndim = _ndim(X)
        if ndim == 1:
            raise DataError(
                f"{type(self).__name__} expects images of shape (n_samples, height, width), "
                "(n_samples, height, width, channels) or flattened (n_samples, n_features). "
                "Reshape your data: X.reshape(1, -1) for a single flattened image. "
                f"Received: X with shape {np.shape(X)}"
            )
        scale = _is_uint8(X)
        received = None  # the image part of the shape, for 3-D/4-D input
        if ndim is not None and ndim >= 3:
            X = np.asarray(X)
            if ndim > 4:
                raise ImageShapeError(
                    f"{type(self).__name__} takes images of rank 3 (n_samples, height, width) "
                    "or 4 (n_samples, height, width, channels). "
                    f"Received: X with shape {X.shape}"
                )
            received = tuple(X.shape[1:]) if ndim == 4 else (*X.shape[1:], 1)
            if not reset and received != self._fitted_image_shape():
                raise ImageShapeError(
                    f"X holds images of another shape than those seen in fit. Expected "
                    f"images of shape {self._fitted_image_shape()}. Received: X with shape "
                    f"{X.shape}"
                )
            X = X.reshape(X.shape[0], math.prod(X.shape[1:]))
        X = validate_data(self, X, reset=reset, dtype=[np.float32, np.float64])
        X = np.asarray(X, dtype=np.float32)
        shape = X.shape if received is None else (len(X), *received)
        if scale:
            X /= np.float32(255)
        if reset:
            self.image_shape_ = self._resolve_image_shape(received, X.shape[1], shape)
        return X.reshape((X.shape[0], *self._fitted_image_shape()))

    def _resolve_image_shape(
        self, received: tuple[int, ...] | None, n_features: int, shape: tuple
    ) -> tuple[int, int, int]:
        expected = _normalized_image_shape(self.image_shape)
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


def _normalized_image_shape(image_shape) -> tuple[int, int, int] | None:
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


def _is_uint8(X) -> bool:
    dtype = getattr(X, "dtype", None)
    if dtype is not None:
        return dtype == np.uint8
    dtypes = getattr(X, "dtypes", None)  # DataFrame
    if dtypes is not None:
        return len(dtypes) > 0 and all(dt == np.uint8 for dt in dtypes)
    return False
