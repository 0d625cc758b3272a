"""Small shared pieces for the builders (pure Keras)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import keras

ACTIVATIONS = (
    "relu",
    "elu",
    "selu",
    "leaky_relu",
    "gelu",
    "tanh",
    "sigmoid",
    "swish",
    "silu",
    "softplus",
    "mish",
    "relu6",
    "linear",
)

#: Keras initializer names accepted for hidden layers.
INITIALIZERS = (
    "glorot_uniform",
    "glorot_normal",
    "he_uniform",
    "he_normal",
    "lecun_uniform",
    "lecun_normal",
    "random_uniform",
    "random_normal",
    "truncated_normal",
    "orthogonal",
    "zeros",
    "ones",
)


def regularizer(l1: float = 0.0, l2: float = 0.0) -> keras.regularizers.Regularizer | None:
    """L1/L2 weight penalty, or None when both are zero (keeps the graph minimal)."""
    if l1 == 0.0 and l2 == 0.0:
        return None
    return keras.regularizers.L1L2(l1=float(l1), l2=float(l2))


#: Keras' default slope of leaky ReLU for negative inputs.
NEGATIVE_SLOPE = 0.3


def activation_layer(name: str, negative_slope: float = NEGATIVE_SLOPE) -> keras.layers.Layer:
    """A Keras activation layer from its name (``negative_slope`` applies to "leaky_relu")."""
    if name not in ACTIVATIONS:
        raise ValueError(
            f"Unknown activation. Expected one of {list(ACTIVATIONS)}. "
            f"Received: activation={name!r}"
        )
    if name == "leaky_relu":
        return keras.layers.LeakyReLU(negative_slope=negative_slope)
    return keras.layers.Activation(name)


#: The keywords every weighted layer of the builders takes (:func:`weighted_block`).
LAYER_OPTIONS = ("activation", "kernel_initializer", "l1", "l2", "batch_norm", "negative_slope")


def layer_options(values: Mapping[str, Any]) -> dict[str, Any]:
    """The :data:`LAYER_OPTIONS` among ``values`` (a builder's own keyword arguments)."""
    return {name: values[name] for name in LAYER_OPTIONS}


def weighted_block(
    x: keras.KerasTensor,
    layer: Callable[..., keras.layers.Layer],
    *args: Any,
    activation: str,
    kernel_initializer: str,
    l1: float = 0.0,
    l2: float = 0.0,
    batch_norm: bool = False,
    negative_slope: float = NEGATIVE_SLOPE,
    **kwargs: Any,
) -> keras.KerasTensor:
    """``layer(*args, **kwargs) -> [BatchNormalization] -> activation``.

    ``layer`` is a Keras layer class with weights (``Dense``, ``Conv2D``); it gets
    ``kernel_initializer``, the L1/L2 penalty of :func:`regularizer` and no bias when batch
    normalisation follows.
    """
    x = layer(
        *args,
        kernel_initializer=kernel_initializer,
        kernel_regularizer=regularizer(l1, l2),
        use_bias=not batch_norm,
        **kwargs,
    )(x)
    if batch_norm:
        x = keras.layers.BatchNormalization()(x)
    return activation_layer(activation, negative_slope)(x)


def dense_block(
    x: keras.KerasTensor, units: int, *, dropout: float = 0.0, **layer: Any
) -> keras.KerasTensor:
    """``Dense -> [BatchNormalization] -> activation -> [Dropout]``; ``layer`` holds the
    :data:`LAYER_OPTIONS` of :func:`weighted_block`."""
    x = weighted_block(x, keras.layers.Dense, units, **layer)
    return keras.layers.Dropout(dropout)(x) if dropout > 0 else x


def output_units(n_classes: int) -> int:
    """Units of the output layer for ``n_classes`` classes: one sigmoid unit for two classes.

    Examples
    --------
    >>> output_units(2), output_units(5)
    (1, 5)
    """
    return 1 if n_classes == 2 else n_classes


def classification_head(
    x: keras.KerasTensor, n_classes: int, *, dtype: str = "float32"
) -> keras.KerasTensor:
    """Output layer: :func:`output_units` units, sigmoid for one unit and softmax otherwise."""
    units = output_units(n_classes)
    activation = "sigmoid" if units == 1 else "softmax"
    return keras.layers.Dense(units, activation=activation, dtype=dtype, name="output")(x)


def output_head(
    x: keras.KerasTensor, n_classes: int | None = None, n_outputs: int | None = None
) -> keras.KerasTensor:
    """The output layer of a classifier (``n_classes``) or a regressor (``n_outputs`` linear
    units, one per target column); exactly one of the two is given."""
    if (n_classes is None) == (n_outputs is None):
        raise ValueError(
            "A network predicts classes or values. Expected exactly one of n_classes (a "
            f"classifier) and n_outputs (a regressor). Received: n_classes={n_classes}, "
            f"n_outputs={n_outputs}"
        )
    if n_classes is not None:
        return classification_head(x, n_classes)
    return keras.layers.Dense(int(n_outputs), dtype="float32", name="output")(x)


def classification_loss(n_outputs: int) -> str:
    """The loss matching ``n_outputs`` probability outputs, for integer-encoded targets."""
    return "binary_crossentropy" if n_outputs == 1 else "sparse_categorical_crossentropy"
