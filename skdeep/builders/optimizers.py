"""Optimizer factory: flat scalar parameters to a Keras optimizer (no sklearn here)."""

from __future__ import annotations

import keras

OPTIMIZERS: dict[str, type] = {
    "adam": keras.optimizers.Adam,
    "sgd": keras.optimizers.SGD,
    "rmsprop": keras.optimizers.RMSprop,
    "nadam": keras.optimizers.Nadam,
    "adamw": keras.optimizers.AdamW,
    "adagrad": keras.optimizers.Adagrad,
    "adamax": keras.optimizers.Adamax,
}
#: Optimizers whose Keras class takes a ``momentum`` argument.
MOMENTUM_OPTIMIZERS = frozenset({"sgd", "rmsprop"})


def make_optimizer(
    optimizer: str | keras.optimizers.Optimizer = "adam",
    *,
    learning_rate: float | None = 1e-3,
    momentum: float = 0.0,
    clipnorm: float | None = None,
    clipvalue: float | None = None,
) -> keras.optimizers.Optimizer:
    """Return a fresh Keras optimizer.

    ``optimizer`` is a name from :data:`OPTIMIZERS` or an optimizer instance, which is copied
    through its config (never shared between models) with the learning rate and clipping
    overridden when given.
    """
    if isinstance(optimizer, keras.optimizers.Optimizer):
        config = optimizer.get_config()
        if learning_rate is not None:
            config["learning_rate"] = learning_rate
        if clipnorm is not None:
            config["clipnorm"] = clipnorm
        if clipvalue is not None:
            config["clipvalue"] = clipvalue
        return type(optimizer).from_config(config)
    try:
        cls = OPTIMIZERS[optimizer]
    except KeyError:
        raise ValueError(
            f"Unknown optimizer. Expected one of {sorted(OPTIMIZERS)} or a "
            f"keras.optimizers.Optimizer instance. Received: optimizer={optimizer!r}"
        ) from None
    kwargs: dict = {"learning_rate": 1e-3 if learning_rate is None else learning_rate}
    if optimizer in MOMENTUM_OPTIMIZERS:
        kwargs["momentum"] = momentum
    if clipnorm is not None:
        kwargs["clipnorm"] = clipnorm
    if clipvalue is not None:
        kwargs["clipvalue"] = clipvalue
    return cls(**kwargs)
