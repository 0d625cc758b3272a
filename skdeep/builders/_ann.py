"""Dense network builder for tabular data (pure Keras)."""

from __future__ import annotations

import keras

from ._blocks import activation_layer, classification_head, regularizer


def hidden_units(n_layers: int, units: int, units_decay: float) -> list[int]:
    """Width of each hidden layer: ``units`` then each next = previous x ``units_decay`` (>= 1)."""
    widths = []
    width = float(units)
    for _ in range(n_layers):
        widths.append(max(1, round(width)))
        width *= units_decay
    return widths


def build_ann(
    *,
    input_shape: tuple[int, ...],
    n_classes: int,
    n_layers: int = 2,
    units: int = 64,
    units_decay: float = 0.5,
    activation: str = "relu",
    kernel_initializer: str = "he_uniform",
    dropout: float = 0.0,
    l1: float = 0.0,
    l2: float = 0.0,
    batch_norm: bool = False,
    gaussian_noise: float = 0.0,
) -> keras.Model:
    """Build an uncompiled dense classifier.

    Each hidden block is ``Dense -> [BatchNormalization] -> activation -> [Dropout]``;
    ``gaussian_noise`` adds ``GaussianNoise`` on the inputs (training only).

    Examples
    --------
    >>> model = build_ann(input_shape=(4,), n_classes=3, n_layers=2, units=8)
    >>> model.output_shape
    (None, 3)
    """
    inputs = keras.Input(shape=tuple(input_shape), name="features")
    x = inputs
    if gaussian_noise > 0:
        x = keras.layers.GaussianNoise(gaussian_noise)(x)
    for width in hidden_units(n_layers, units, units_decay):
        x = keras.layers.Dense(
            width,
            kernel_initializer=kernel_initializer,
            kernel_regularizer=regularizer(l1, l2),
            use_bias=not batch_norm,
        )(x)
        if batch_norm:
            x = keras.layers.BatchNormalization()(x)
        x = activation_layer(activation)(x)
        if dropout > 0:
            x = keras.layers.Dropout(dropout)(x)
    outputs = classification_head(x, n_classes)
    return keras.Model(inputs, outputs, name="ann")
