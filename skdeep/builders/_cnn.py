"""Convolutional network builder for images (pure Keras)."""

from __future__ import annotations

from typing import Any

import keras

from ._blocks import NEGATIVE_SLOPE, dense_block, layer_options, output_head, weighted_block
from .augmentation import augment, augmentation_layers, augmentation_params

POOLINGS = ("max", "avg")


def block_filters(n_blocks: int, filters: int) -> list[int]:
    """Filters of each convolutional block: ``filters`` doubling per block."""
    return [filters * 2**i for i in range(n_blocks)]


def pool_size(height: int, width: int) -> tuple[int, int] | None:
    """2x2 pooling, reduced to 1 along any axis already 1 pixel long; None when 1x1.

    Small images (or one-row "images" of tabular features) therefore never shrink below one
    pixel, whatever ``n_blocks``: a deep network stays buildable for every input size, which
    keeps hyper-parameter searches free of failed candidates.
    """
    size = (2 if height >= 2 else 1, 2 if width >= 2 else 1)
    return None if size == (1, 1) else size


def build_cnn(
    *,
    input_shape: tuple[int, ...],
    n_classes: int | None = None,
    n_outputs: int | None = None,
    n_blocks: int = 2,
    convs_per_block: int = 2,
    filters: int = 16,
    kernel_size: int = 3,
    pooling: str = "max",
    dense_units: int = 128,
    activation: str = "relu",
    kernel_initializer: str = "he_uniform",
    negative_slope: float = NEGATIVE_SLOPE,
    dropout: float = 0.25,
    l1: float = 0.0,
    l2: float = 0.0,
    batch_norm: bool = False,
    flip: str | None = None,
    rotation: float = 0.0,
    zoom: float = 0.0,
    translation: float = 0.0,
    contrast: float = 0.0,
    gaussian_noise: float = 0.0,
) -> keras.Model:
    """Build an uncompiled convolutional classifier for ``(height, width, channels)`` images.

    Layout::

        input -> [augmentation, training only]
              -> n_blocks x ((Conv2D(same) -> [BatchNorm] -> activation) x convs_per_block
                             -> Pool 2x2 -> [Dropout])
              -> Flatten -> [Dense(dense_units) -> [BatchNorm] -> activation -> [Dropout]]
              -> output (sigmoid for 2 classes, softmax otherwise)

    Block ``i`` has ``filters * 2**i`` filters. Pooling halves each spatial axis longer than one
    pixel and is left out once the feature map is 1x1, so any image size works with any
    ``n_blocks``. ``dense_units=0`` leaves out the hidden dense layer.

    Parameters
    ----------
    input_shape : tuple of int
        ``(height, width, channels)``.
    n_classes : int or None
        Number of classes of a classifier (2 gives one sigmoid output).
    n_outputs : int or None
        Number of target columns of a regressor (linear outputs); give exactly one of the two.
    n_blocks, convs_per_block, filters, kernel_size, pooling, dense_units, activation, \
kernel_initializer, negative_slope, dropout, l1, l2, batch_norm
        Architecture, see :class:`skdeep.CNNClassifier`.
    flip, rotation, zoom, translation, contrast, gaussian_noise
        Training-only augmentation, see :func:`skdeep.builders.augmentation_layers`.

    Returns
    -------
    keras.Model

    Examples
    --------
    >>> model = build_cnn(input_shape=(28, 28, 1), n_classes=10, n_blocks=2, filters=16)
    >>> model.output_shape
    (None, 10)
    """
    options = dict(locals())  # the keyword arguments, before any other name is bound
    if len(input_shape) != 3:
        raise ValueError(
            "input_shape must be (height, width, channels). "
            f"Received: input_shape={tuple(input_shape)}"
        )
    if pooling not in POOLINGS:
        raise ValueError(
            f"Unknown pooling. Expected one of {list(POOLINGS)}. Received: pooling={pooling!r}"
        )
    inputs = keras.Input(shape=tuple(input_shape), name="images")
    x = augment(inputs, augmentation_layers(**augmentation_params(options)))
    layer = layer_options(options)
    height, width = int(input_shape[0]), int(input_shape[1])
    for n_filters in block_filters(n_blocks, filters):
        x = conv_block(x, n_filters, kernel_size, convs_per_block, **layer)
        size = pool_size(height, width)
        if size is not None:
            pool = keras.layers.MaxPooling2D if pooling == "max" else keras.layers.AveragePooling2D
            x = pool(size)(x)
            height, width = height // size[0], width // size[1]
        if dropout > 0:
            x = keras.layers.Dropout(dropout)(x)
    x = keras.layers.Flatten()(x)
    if dense_units > 0:
        x = dense_block(x, dense_units, dropout=dropout, **layer)
    outputs = output_head(x, n_classes, n_outputs)
    return keras.Model(inputs, outputs, name="cnn")


def conv_block(
    x: keras.KerasTensor, filters: int, kernel_size: int, convs: int, **layer: Any
) -> keras.KerasTensor:
    """``convs x (Conv2D(same) -> [BatchNormalization] -> activation)``; ``layer`` holds the
    :data:`~skdeep.builders._blocks.LAYER_OPTIONS`."""
    for _ in range(convs):
        x = weighted_block(x, keras.layers.Conv2D, filters, kernel_size, padding="same", **layer)
    return x
