"""Stand-ins for pretrained bases, made in a second without any download.

:func:`he_mobilenet_weights` stands in for MobileNet's ImageNet weights; :func:`small_base` is
a five-convolution base registered for the tests of what any base goes through.

A frozen base with Keras' default random initialisation is useless: through 27 convolutions
and batch-norm layers in inference mode its features shrink to ~1e-22. Calibrating each
batch-norm layer's moving statistics on a batch of random images (in network order) keeps the
signal's scale, so the frozen base becomes a random-feature extractor on which a head learns
simple image tasks: enough for fast tests of TransferClassifier.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import keras
import numpy as np
import pytest


def he_mobilenet_weights(path: str | Path | None = None) -> Path:
    """Save He-initialised MobileNet (no top) weights to ``path`` (cached) and return it."""
    if path is None:
        path = Path(tempfile.gettempdir()) / "skdeep-tests" / "mobilenet_calibrated.weights.h5"
    path = Path(path)
    if path.is_file():
        return path
    keras.utils.set_random_seed(0)  # the same stand-in in every test session
    base = keras.applications.MobileNet(
        include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg"
    )
    return calibrated_weights(base, path)


def small_base_weights(path: str | Path) -> Path:
    """Calibrated weights of :func:`small_base` at 32 px, saved to ``path``."""
    keras.utils.set_random_seed(0)
    return calibrated_weights(small_base(input_shape=(32, 32, 3)), Path(path))


@contextlib.contextmanager
def small_base_registered(weights: str | Path | None) -> Iterator[dict]:
    """Register :func:`small_base` as ``BASES["small"]`` while the block runs; yields the
    TransferClassifier parameters that select it (``base`` and ``weights``)."""
    from skdeep.builders import BASES

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(BASES, "small", small_spec())
        yield {"base": "small", "weights": None if weights is None else str(weights)}


def small_base(include_top=False, weights=None, input_shape=None, pooling="avg", name="base"):
    """A MobileNet-shaped base of five convolutions, for tests of what any base goes through.

    Registered as a base of its own (``BASES["small"]``, see :func:`small_spec`), it takes the
    constructor keywords of ``keras.applications``. A fine-tuning fit traces its ~16 layers in a
    fraction of a second where MobileNet's 86 take ~5 s; MobileNet itself is tested where its
    own layers matter (freezing counts, batch-norm mode, preprocessing, learning).
    """
    del include_top, pooling  # always without a top, globally average pooled
    inputs = x = keras.Input(input_shape)
    blocks = (("conv1", 16, 2), ("conv_dw_1", None, 1), ("conv_pw_1", 32, 1))
    blocks += (("conv_dw_2", None, 2), ("conv_pw_2", 64, 1))
    for i, (layer, filters, strides) in enumerate(blocks):
        if filters is None:
            conv = keras.layers.DepthwiseConv2D(
                3, strides, "same", use_bias=False, depthwise_initializer="he_normal", name=layer
            )
        else:
            size = 3 if i == 0 else 1
            conv = keras.layers.Conv2D(
                filters,
                size,
                strides,
                "same",
                use_bias=False,
                kernel_initializer="he_normal",
                name=layer,
            )
        x = keras.layers.BatchNormalization(name=f"{layer}_bn")(conv(x))
        x = keras.layers.ReLU(name=f"{layer}_relu")(x)
    model = keras.Model(inputs, keras.layers.GlobalAveragePooling2D()(x), name=name)
    if weights is not None:
        model.load_weights(weights)
    return model


def small_spec():
    from skdeep.builders import BaseSpec

    return BaseSpec(small_base, preprocessing="tf", default_size=32, n_features=64)


def calibrated_weights(base: keras.Model, path: Path) -> Path:
    """Calibrate each batch-norm layer of ``base`` on random images; save its weights."""
    rng = np.random.default_rng(0)
    images = rng.uniform(-1.0, 1.0, (64, *base.input_shape[1:])).astype("float32")
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            probe = keras.Model(base.input, layer.input)
            x = keras.ops.convert_to_numpy(probe(images, training=False))
            layer.moving_mean.assign(x.mean(axis=(0, 1, 2)))
            layer.moving_variance.assign(x.var(axis=(0, 1, 2)) + 1e-3)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.stem}.{rng.integers(1 << 30)}.weights.h5")
    base.save_weights(tmp)
    tmp.replace(path)
    return path
