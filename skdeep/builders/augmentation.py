"""Image augmentation as Keras layers that act in training only (pure Keras).

Every layer returned by :func:`augmentation_layers` is the identity at inference: Keras calls it
with ``training=False`` in ``predict``/``evaluate`` and skdeep's own predictions, so augmented
images can never reach a validation split, a test fold or a prediction. The layers work on
``(batch, height, width, channels)`` tensors with any number of channels.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import keras

#: Accepted values of ``flip`` (besides None).
FLIP_MODES = ("horizontal", "vertical", "horizontal_and_vertical")


@dataclass(frozen=True)
class Augmentation:
    """One training-only augmentation knob: its values, default, layer and documentation.

    ``kind`` says which values are valid: "flip" (None or one of :data:`FLIP_MODES`),
    "fraction" (a float in [0, 1)) or "scale" (a finite float >= 0); estimators derive their
    parameter constraints from it. ``layer(value, fill_mode, seed)`` returns the Keras layer,
    which is only added when the value is not the default (the knob is on).
    """

    kind: str
    default: object
    layer: Callable[..., keras.layers.Layer]
    type_doc: str
    doc: str

    def check(self, name: str, value) -> None:
        if self.kind == "flip":
            if value is not None and value not in FLIP_MODES:
                raise ValueError(
                    f"Unknown flip mode. Expected None or one of {list(FLIP_MODES)}. "
                    f"Received: {name}={value!r}"
                )
        elif self.kind == "fraction":
            if not (0.0 <= value < 1.0):
                raise ValueError(f"{name} must be a fraction in [0, 1). Received: {name}={value!r}")
        elif not (value >= 0.0 and math.isfinite(value)):
            raise ValueError(
                f"{name} must be a finite standard deviation >= 0. Received: {name}={value!r}"
            )


_UNCLIPPED = (-math.inf, math.inf)


def _fraction(layer: Callable[..., keras.layers.Layer], doc: str) -> Augmentation:
    """A knob whose value is a fraction in [0, 1), off at 0."""
    return Augmentation("fraction", 0.0, layer, "float", doc)


#: The augmentation knobs, in application order: name -> :class:`Augmentation`. Adding one
#: here adds it to CNNClassifier and TransferClassifier (constraints, documentation, layers);
#: the estimators' signature declares it in ``skdeep._parameters.AUGMENTATION`` (tested).
AUGMENTATIONS: dict[str, Augmentation] = {
    "flip": Augmentation(
        "flip",
        None,
        lambda value, fill_mode, seed: keras.layers.RandomFlip(value, seed=seed),
        '{"horizontal", "vertical", "horizontal_and_vertical"} or None',
        "Random mirror images during training (``keras.layers.RandomFlip``).",
    ),
    "rotation": _fraction(
        lambda v, fill_mode, seed: keras.layers.RandomRotation(v, fill_mode=fill_mode, seed=seed),
        "Maximum random rotation during training, as a fraction of a full turn in [0, 1): "
        "0.05 rotates by up to ±18 degrees (``keras.layers.RandomRotation``).",
    ),
    "zoom": _fraction(
        lambda v, fill_mode, seed: keras.layers.RandomZoom(v, v, fill_mode=fill_mode, seed=seed),
        "Maximum random zoom in or out during training, as a fraction of the size, in [0, 1) "
        "(``keras.layers.RandomZoom``, the same factor for height and width).",
    ),
    "translation": _fraction(
        lambda v, fill_mode, seed: keras.layers.RandomTranslation(
            v, v, fill_mode=fill_mode, seed=seed
        ),
        "Maximum random shift during training, as a fraction of height and width, in [0, 1): "
        "0.1 shifts a 28-pixel image by up to 2.8 pixels each way "
        "(``keras.layers.RandomTranslation``).",
    ),
    "contrast": _fraction(
        lambda v, fill_mode, seed: keras.layers.RandomContrast(
            v, value_range=_UNCLIPPED, seed=seed
        ),
        "Random contrast factor in ``[1 - contrast, 1 + contrast]`` per image during training, "
        "in [0, 1) (``keras.layers.RandomContrast``; values are not clipped, so it also suits "
        "standardised inputs).",
    ),
    "gaussian_noise": Augmentation(
        "scale",
        0.0,
        lambda value, fill_mode, seed: keras.layers.GaussianNoise(value, seed=seed),
        "float",
        "Standard deviation of Gaussian noise added to the images during training "
        "(``keras.layers.GaussianNoise``).",
    ),
}


def augmentation_layers(
    *, fill_mode: str = "constant", seed: int | None = None, **knobs
) -> list[keras.layers.Layer]:
    """Training-only augmentation layers, in application order; empty when all are off.

    Parameters
    ----------
    fill_mode : {"constant", "reflect", "nearest", "wrap"}, default="constant"
        How rotation, zoom and translation fill pixels from outside the image (constant
        fills with 0).
    seed : int or None, default=None
        Seed of every layer (each kind of layer gets its own stream); None draws from Keras'
        global seed (``keras.utils.set_random_seed``).
    **knobs
        Values of the knobs of :data:`AUGMENTATIONS`: ``flip``, ``rotation``, ``zoom``,
        ``translation``, ``contrast``, ``gaussian_noise`` (each off by default).

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
    unknown = sorted(set(knobs) - set(AUGMENTATIONS))
    if unknown:
        raise TypeError(
            f"Unknown augmentation. Expected among {list(AUGMENTATIONS)}. Received: {unknown}"
        )
    layers: list[keras.layers.Layer] = []
    for offset, (name, spec) in enumerate(AUGMENTATIONS.items()):
        value = knobs.get(name, spec.default)
        spec.check(name, value)
        if value != spec.default:
            layer_seed = None if seed is None else seed + offset
            layers.append(spec.layer(value, fill_mode, layer_seed))
    return layers


def augmentation_params(params: dict) -> dict:
    """The augmentation knobs among ``params`` (e.g. an estimator's ``get_params()``)."""
    return {name: params[name] for name in AUGMENTATIONS if name in params}


def augment(x: keras.KerasTensor, layers: list[keras.layers.Layer]) -> keras.KerasTensor:
    """Apply ``layers`` (from :func:`augmentation_layers`) to ``x`` in order."""
    for layer in layers:
        x = layer(x)
    return x
