"""A stand-in for pretrained base weights, made in a second without any download.

A frozen base with Keras' default random initialisation is useless: through 27 convolutions
and batch-norm layers in inference mode its features shrink to ~1e-22. Calibrating each
batch-norm layer's moving statistics on a batch of random images (in network order) keeps the
signal's scale, so the frozen base becomes a random-feature extractor on which a head learns
simple image tasks: enough for fast tests of TransferClassifier.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import keras
import numpy as np


def he_mobilenet_weights(path: str | Path | None = None) -> Path:
    """Save He-initialised MobileNet (no top) weights to ``path`` (cached) and return it."""
    if path is None:
        path = Path(tempfile.gettempdir()) / "skdeep-tests" / "mobilenet_calibrated.weights.h5"
    path = Path(path)
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(0)  # the same stand-in in every test session
    base = keras.applications.MobileNet(
        include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg"
    )
    rng = np.random.default_rng(0)
    images = rng.uniform(-1.0, 1.0, (64, 32, 32, 3)).astype("float32")
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            probe = keras.Model(base.input, layer.input)
            x = keras.ops.convert_to_numpy(probe(images, training=False))
            layer.moving_mean.assign(x.mean(axis=(0, 1, 2)))
            layer.moving_variance.assign(x.var(axis=(0, 1, 2)) + 1e-3)
    tmp = path.with_name(f"{path.stem}.{rng.integers(1 << 30)}.weights.h5")
    base.save_weights(tmp)
    tmp.replace(path)
    return path
