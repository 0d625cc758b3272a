"""Dense network builder for tabular data (pure Keras)."""

from __future__ import annotations

import keras

from ._blocks import NEGATIVE_SLOPE, dense_block, layer_options, output_head


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
    n_classes: int | None = None,
    n_outputs: int | None = None,
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
    negative_slope: float = NEGATIVE_SLOPE,
) -> keras.Model:
    """Build an uncompiled dense classifier (``n_classes``) or regressor (``n_outputs``).

    Each hidden block is ``Dense -> [BatchNormalization] -> activation -> [Dropout]``;
    ``gaussian_noise`` adds ``GaussianNoise`` on the inputs (training only);
    ``negative_slope`` is the slope of "leaky_relu" for negative inputs.

    Examples
    --------
    >>> model = build_ann(input_shape=(4,), n_classes=3, n_layers=2, units=8)
    >>> model.output_shape
    (None, 3)
    """
    layer = layer_options(locals())
    inputs = keras.Input(shape=tuple(input_shape), name="features")
    x = inputs
    if gaussian_noise > 0:
        x = keras.layers.GaussianNoise(gaussian_noise)(x)
    for width in hidden_units(n_layers, units, units_decay):
        x = dense_block(x, width, dropout=dropout, **layer)
    outputs = output_head(x, n_classes, n_outputs)
    return keras.Model(inputs, outputs, name="ann")
