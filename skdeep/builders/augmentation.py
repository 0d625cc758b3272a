"""Image augmentation as Keras layers that act in training only (pure Keras).

Every layer returned by :func:`augmentation_layers` is the identity at inference: Keras calls it
with ``training=False`` in ``predict``/``evaluate`` and skdeep's own predictions, so augmented
images can never reach a validation split, a test fold or a prediction. The layers work on
``(batch, height, width, channels)`` tensors with any number of channels.
"""

from __future__ import annotations

import math

import keras

#: Accepted values of ``flip`` (besides None).
FLIP_MODES = ("horizontal", "vertical", "horizontal_and_vertical")


def augmentation_layers(
    *,
    flip: str | None = None,
    rotation: float = 0.0,
    zoom: float = 0.0,
    translation: float = 0.0,
    contrast: float = 0.0,
    gaussian_noise: float = 0.0,
    fill_mode: str = "constant",
    seed: int | None = None,
) -> list[keras.layers.Layer]:
    """Training-only augmentation layers, in application order; empty when all are off.

    Parameters
    ----------
    flip : {"horizontal", "vertical", "horizontal_and_vertical"} or None, default=None
        Random mirror images (``keras.layers.RandomFlip``).
    rotation : float, default=0.0
        Maximum rotation as a fraction of a full turn, in [0, 1): 0.05 rotates by up to
        ±18 degrees (``keras.layers.RandomRotation``).
    zoom : float, default=0.0
        Maximum zoom in or out as a fraction of the image size, in [0, 1)
        (``keras.layers.RandomZoom``, same factor for height and width).
    translation : float, default=0.0
        Maximum shift as a fraction of height and of width, in [0, 1): 0.1 shifts a 28-pixel
        image by up to 2.8 pixels each way (``keras.layers.RandomTranslation``).
    contrast : float, default=0.0
        Contrast factor drawn in ``[1 - contrast, 1 + contrast]`` per image, in [0, 1)
        (``keras.layers.RandomContrast``). Values are not clipped, so the layer also suits
        standardised inputs.
    gaussian_noise : float, default=0.0
        Standard deviation of additive Gaussian noise (``keras.layers.GaussianNoise``).
    fill_mode : {"constant", "reflect", "nearest", "wrap"}, default="constant"
        How rotation, zoom and translation fill pixels from outside the image (constant
        fills with 0).
    seed : int or None, default=None
        Seed of every layer; None draws from Keras' global seed (``keras.utils.set_random_seed``).

    Returns
    -------
    list of keras.layers.Layer

    Examples
    --------
    >>> import numpy as np
    >>> layers = augmentation_layers(flip="horizontal", translation=0.1, seed=0)
    >>> [type(layer).__name__ for layer in layers]
    ['RandomFlip', 'RandomTranslation']
    >>> x = np.random.default_rng(0).random((2, 8, 8, 3)).astype("float32")
    >>> out = x
    >>> for layer in layers:
    ...     out = layer(out, training=False)
    >>> bool(np.array_equal(np.asarray(out), x))
    True
    """
    if flip is not None and flip not in FLIP_MODES:
        raise ValueError(
            f"Unknown flip mode. Expected None or one of {list(FLIP_MODES)}. "
            f"Received: flip={flip!r}"
        )
    for name, value in (
        ("rotation", rotation),
        ("zoom", zoom),
        ("translation", translation),
        ("contrast", contrast),
    ):
        if not (0.0 <= value < 1.0):
            raise ValueError(f"{name} must be a fraction in [0, 1). Received: {name}={value!r}")
    if not (gaussian_noise >= 0.0 and math.isfinite(gaussian_noise)):
        raise ValueError(
            f"gaussian_noise must be a finite standard deviation >= 0. "
            f"Received: gaussian_noise={gaussian_noise!r}"
        )

    def layer_seed(offset: int) -> int | None:  # distinct streams, one per kind of layer
        return None if seed is None else seed + offset

    layers: list[keras.layers.Layer] = []
    if flip is not None:
        layers.append(keras.layers.RandomFlip(flip, seed=layer_seed(0)))
    if rotation > 0:
        layers.append(
            keras.layers.RandomRotation(rotation, fill_mode=fill_mode, seed=layer_seed(1))
        )
    if zoom > 0:
        layers.append(keras.layers.RandomZoom(zoom, zoom, fill_mode=fill_mode, seed=layer_seed(2)))
    if translation > 0:
        layers.append(
            keras.layers.RandomTranslation(
                translation, translation, fill_mode=fill_mode, seed=layer_seed(3)
            )
        )
    if contrast > 0:
        unclipped = (-math.inf, math.inf)
        layers.append(
            keras.layers.RandomContrast(contrast, value_range=unclipped, seed=layer_seed(4))
        )
    if gaussian_noise > 0:
        layers.append(keras.layers.GaussianNoise(gaussian_noise, seed=layer_seed(5)))
    return layers


def augment(x: keras.KerasTensor, layers: list[keras.layers.Layer]) -> keras.KerasTensor:
    """Apply ``layers`` (from :func:`augmentation_layers`) to ``x`` in order."""
    for layer in layers:
        x = layer(x)
    return x
