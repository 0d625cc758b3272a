"""What TransferClassifier computes once per image: the frozen base's features, and their key.

While the base is frozen its output for an image never changes, so its features are computed in
bounded chunks and kept in the process-wide :data:`~skdeep._training._feature_cache.
FEATURE_CACHE`, keyed by everything that determines them (:func:`features_config`).
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from .._training._feature_cache import CHUNK, FeatureCache
from .._training._inference import compute_in_chunks
from .._training._seeding import seeded
from ..builders import BASES
from ..builders._transfer import transfer_features
from ..exceptions import ParameterError, describe

__all__ = ["base_features", "features_config", "frozen_features", "images_per_call"]


def frozen_features(
    est, image_shape: tuple[int, ...], *, application=None, seed: int | None = None
) -> keras.Model:
    """A frozen "features" part of ``est``'s configuration, built under ``seed``.

    ``application`` reuses a built base (see :func:`skdeep.builders._transfer.transfer_features`).
    """
    try:
        with seeded(seed):
            return transfer_features(
                input_shape=tuple(int(d) for d in image_shape),
                base=est.base,
                weights=est.weights,
                input_size=est.input_size,
                trainable_layers=0,
                application=application,
            )
    except ValueError as exc:
        raise ParameterError(
            f"{type(est).__name__} cannot build its network: {exc}. Received: "
            f"{describe(est._builder_params(), limit=300)}"
        ) from exc


def features_config(est, image_shape: tuple[int, ...], fixed_seed: bool) -> tuple | None:
    """What determines the frozen base's output besides the image; None: not cacheable."""
    if est.weights is None:
        if not fixed_seed:
            return None  # a new random base at every fit
        identity: tuple = ("random", int(est.random_state))
    elif isinstance(est.weights, str) and est.weights == "imagenet":
        identity = ("imagenet",)
    else:
        path = Path(est.weights).resolve()
        stat = path.stat()
        identity = (str(path), stat.st_mtime_ns, stat.st_size)
    spec = BASES[est.base]
    size = spec.default_size if est.input_size is None else est.input_size
    return (
        keras.backend.backend(),
        est.base,
        spec,  # another base registered under the same name is another configuration
        identity,
        int(size),
        tuple(int(d) for d in image_shape),
    )


def images_per_call(base: str, input_size: int | None) -> int:
    """Images per inference call through the base, bounding its memory.

    The base runs on images resized to ``input_size``: one eager call on 1,500 Fashion-MNIST
    images at 96 px peaked at 20 GB. About 128 images at 64 px, fewer for larger sizes.

    Examples
    --------
    >>> images_per_call("mobilenet", 64), images_per_call("mobilenet", None)
    (128, 10)
    """
    size = BASES[base].default_size if input_size is None else input_size
    return max(8, min(CHUNK, (CHUNK * 64 * 64) // (size * size)))


def base_features(
    features: keras.Model, config, images: np.ndarray, chunk: int, cache: FeatureCache
) -> np.ndarray:
    """The "features" part's output on ``images``, from ``cache`` when ``config`` is not None."""

    def compute(batch: np.ndarray) -> np.ndarray:
        return keras.ops.convert_to_numpy(features(batch, training=False))

    if config is None:
        return compute_in_chunks(compute, images, chunk)
    return cache.features(config, images, compute, chunk)
