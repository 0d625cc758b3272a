"""Small shared pieces for the builders (pure Keras)."""

from __future__ import annotations

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


def activation_layer(name: str) -> keras.layers.Layer:
    """A Keras activation layer from its name."""
    if name not in ACTIVATIONS:
        raise ValueError(
            f"Unknown activation. Expected one of {list(ACTIVATIONS)}. "
            f"Received: activation={name!r}"
        )
    if name == "leaky_relu":
        return keras.layers.LeakyReLU()
    return keras.layers.Activation(name)


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


def classification_loss(n_outputs: int) -> str:
    """The loss matching ``n_outputs`` probability outputs, for integer-encoded targets."""
    return "binary_crossentropy" if n_outputs == 1 else "sparse_categorical_crossentropy"
