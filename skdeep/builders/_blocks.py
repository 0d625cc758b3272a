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


def classification_head(
    x: keras.KerasTensor, n_classes: int, *, dtype: str = "float32"
) -> keras.KerasTensor:
    """Output layer: one sigmoid unit for two classes, softmax otherwise."""
    if n_classes == 2:
        return keras.layers.Dense(1, activation="sigmoid", dtype=dtype, name="output")(x)
    return keras.layers.Dense(n_classes, activation="softmax", dtype=dtype, name="output")(x)


def classification_loss(n_classes: int) -> str:
    """The loss matching :func:`classification_head`, for integer-encoded targets."""
    return "binary_crossentropy" if n_classes == 2 else "sparse_categorical_crossentropy"
