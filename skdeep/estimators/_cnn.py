"""CNNClassifier and CNNRegressor: convolutional networks for images, with training-only
augmentation."""

from __future__ import annotations

from numbers import Integral

from ..base import SkdeepClassifier, SkdeepRegressor
from ..builders import POOLINGS, build_cnn
from ..utils._compat import Interval, StrOptions
from ._images import AUGMENTATION_CONSTRAINTS, ImageInputMixin
from ._params import LAYER_CONSTRAINTS, BuilderFamily, document_training_parameters
from ._signature import estimator_init

#: Constraints of the convolutional family's parameters.
_CNN_CONSTRAINTS: dict = {
    "n_blocks": [Interval(Integral, 0, None, closed="left")],
    "convs_per_block": [Interval(Integral, 1, None, closed="left")],
    "filters": [Interval(Integral, 1, None, closed="left")],
    "kernel_size": [Interval(Integral, 1, None, closed="left")],
    "pooling": [StrOptions(set(POOLINGS))],
    "dense_units": [Interval(Integral, 0, None, closed="left")],
    **LAYER_CONSTRAINTS,
    "image_shape": [None, tuple, list],
    **AUGMENTATION_CONSTRAINTS,
}


class _CNNFamily(BuilderFamily, ImageInputMixin):
    """The convolutional family (shared by both tasks)."""

    _family = "cnn"
    _builder = staticmethod(build_cnn)

    _training_parameter_docs = {
        "epochs": "Maximum number of passes over the training data (a convolutional network on "
        "tens of thousands of images needs far fewer epochs than a small dense one).",
    }


@document_training_parameters
class CNNClassifier(_CNNFamily, SkdeepClassifier):
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
    kernel_initializer : str, default="he_uniform"
        Keras initializer name for the convolution and dense kernels (as in ANNClassifier).
    negative_slope : float, default=0.3
        Slope of "leaky_relu" for negative inputs (Keras' default 0.3); a warning says when it
        is set with another activation.
    dropout : float, default=0.25
        Dropout rate after each block and after the dense layer, in [0, 1).
    l1, l2 : float, default=0.0
        L1 / L2 penalties on the convolution and dense kernels.
    batch_norm : bool, default=False
        Batch normalisation before each activation.
    image_shape : tuple of int or None, default=None
        ``(height, width)`` or ``(height, width, channels)`` of the images in flat 2-D ``X``.
        Checked against image input too.
    <augmentation parameters>
    <training parameters>

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
        **_CNN_CONSTRAINTS,
    }

    __init__ = estimator_init("CNNClassifier")


@document_training_parameters
class CNNRegressor(_CNNFamily, SkdeepRegressor):
    """Convolutional neural network regressor for images, tunable like any sklearn model.

    The network of :class:`CNNClassifier` (same input layouts, uint8 scaling and
    training-only augmentation) with one linear output per target column; targets are
    standardised on the training part of each fit (``scale_target``) and predictions come back
    in their units. ``score`` is R².

    Examples
    --------
    >>> import numpy as np
    >>> from skdeep import CNNRegressor
    >>> rng = np.random.default_rng(0)
    >>> level = rng.random(200).astype("float32")
    >>> images = level[:, None, None] + rng.normal(0, 0.05, (200, 8, 8)).astype("float32")
    >>> model = CNNRegressor(n_blocks=1, filters=4, dense_units=16, dropout=0.0, epochs=20,
    ...                      learning_rate=0.01, random_state=0)
    >>> model.fit(images[:150], level[:150]).score(images[150:], level[150:]) > 0.9
    True
    """

    _documented_like = CNNClassifier
    _parameter_constraints: dict = {**SkdeepRegressor._parameter_constraints, **_CNN_CONSTRAINTS}

    __init__ = estimator_init("CNNRegressor")
