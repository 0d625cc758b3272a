"""What an image estimator's augmentation parameters do to a few images
(:func:`plot_augmentation`)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from ..exceptions import DataError, ParameterError, describe
from ..utils._pipeline import final_step
from ._base import new_figure

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["plot_augmentation"]


def _knobs() -> list[str]:
    """The augmentation parameters: the registry of the builders (one source)."""
    from ..builders import AUGMENTATIONS

    return list(AUGMENTATIONS)


def _images(X: Any, image_shape: Any, n: int) -> np.ndarray:
    """The first ``n`` images as float32 ``(n, height, width, channels)``; uint8 / 255."""
    X = np.asarray(X)
    if X.ndim == 2:
        shape = tuple(image_shape) if image_shape is not None else None
        if shape is None:
            side = math.isqrt(X.shape[1])
            if side * side != X.shape[1]:
                raise DataError(
                    "Flat X needs the estimator's image_shape unless its rows are square "
                    "grayscale images. Expected image_shape set or n_features a perfect "
                    f"square. Received: X with shape {X.shape}, image_shape=None"
                )
            shape = (side, side)
        X = X.reshape((len(X), *shape))
    if X.ndim == 3:
        X = X[..., np.newaxis]
    if X.ndim != 4 or X.shape[-1] not in (1, 3, 4) or len(X) == 0:
        raise DataError(
            "plot_augmentation shows images. Expected X of shape (n, height, width), "
            "(n, height, width, channels) with 1, 3 or 4 channels, or flat rows with the "
            f"estimator's image_shape. Received: X with shape {np.shape(X)}"
        )
    images = X[:n].astype(np.float32)
    return images / 255.0 if X.dtype == np.uint8 else images


def _augment(images: np.ndarray, settings: dict, seed: int | None) -> np.ndarray:
    from ..builders import augmentation_layers

    try:
        layers = augmentation_layers(**settings, seed=seed)
    except ValueError as exc:
        raise ParameterError(f"{exc}") from None
    out = images
    for layer in layers:
        out = layer(out, training=True)
    from .._keras import keras

    return np.asarray(keras.ops.convert_to_numpy(out), dtype=np.float32)


def _display(image: np.ndarray, low: float, high: float) -> np.ndarray:
    scaled = (image - low) / (high - low) if high > low else image - low
    scaled = np.clip(scaled, 0.0, 1.0)
    return scaled[..., 0] if scaled.shape[-1] == 1 else scaled[..., :3]


def plot_augmentation(
    estimator: Any, X: Any, n: int = 8, *, random_state: int | None = 0
) -> Figure:
    """Originals (top row) above one augmented draw of each (bottom row).

    The augmented images come from the same Keras layers the estimator trains with
    (:func:`skdeep.builders.augmentation_layers` with the estimator's ``flip``,
    ``rotation``, ``zoom``, ``translation``, ``contrast`` and ``gaussian_noise``), called
    with ``training=True``. The estimator need not be fitted: only its parameters are read.

    Parameters
    ----------
    estimator : CNNClassifier, TransferClassifier or a Pipeline ending in one
        Any estimator with the augmentation parameters.
    X : array-like of images
        ``(n_samples, height, width)``, ``(n_samples, height, width, channels)`` or flat rows
        (with the estimator's ``image_shape``, or square grayscale). uint8 pixels are divided
        by 255, as the image estimators do.
    n : int, default=8
        Number of images shown (the first ``n`` of X).
    random_state : int or None, default=0
        Seed of the augmentation draw; None draws differently at every call.

    Returns
    -------
    matplotlib.figure.Figure
        ``2 * n`` image axes: ``fig.axes[:n]`` the originals, ``fig.axes[n:]`` their
        augmented versions, on the originals' grey (or colour) scale.

    Examples
    --------
    >>> import numpy as np
    >>> from skdeep import CNNClassifier
    >>> from skdeep.plotting import plot_augmentation
    >>> X = np.random.default_rng(0).integers(0, 255, (4, 16, 16), dtype=np.uint8)
    >>> fig = plot_augmentation(CNNClassifier(rotation=0.1, flip="horizontal"), X, n=4)
    >>> len(fig.axes), fig.axes[0].get_ylabel(), fig.axes[4].get_ylabel()
    (8, 'original', 'augmented')
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ParameterError(f"n must be a positive integer. Received: n={describe(n)}")
    final = final_step(estimator)[0]
    params = final.get_params(deep=False) if hasattr(final, "get_params") else {}
    knobs = _knobs()
    if not all(k in params for k in knobs):
        raise ParameterError(
            "plot_augmentation needs an estimator with augmentation parameters. Expected e.g. "
            f"CNNClassifier or TransferClassifier (parameters {knobs}). Received: "
            f"{type(final).__name__}"
        )
    settings = {k: params[k] for k in knobs if k in params}
    images = _images(X, params.get("image_shape"), n)
    augmented = _augment(images, settings, random_state)
    active = {k: v for k, v in settings.items() if v not in (None, 0, 0.0)}
    return _draw(images, augmented, active)


def _draw(images: np.ndarray, augmented: np.ndarray, active: dict) -> Figure:
    count = len(images)
    fig, grid = new_figure(2, count, width=1.5, height=1.7)
    low, high = float(images.min()), float(images.max())
    gray = images.shape[-1] == 1
    for col in range(count):
        for row, batch in enumerate((images, augmented)):
            axis = grid[row][col]
            axis.imshow(
                _display(batch[col], low, high),
                cmap="gray" if gray else None,
                vmin=0.0,
                vmax=1.0,
                interpolation="nearest",
            )
            axis.set_xticks([])
            axis.set_yticks([])
    grid[0][0].set_ylabel("original")
    grid[1][0].set_ylabel("augmented")
    shown = ", ".join(f"{k}={v!r}" for k, v in active.items()) or "none (all parameters off)"
    fig.suptitle(f"augmentation: {shown}; training only", fontsize=10)
    return fig
