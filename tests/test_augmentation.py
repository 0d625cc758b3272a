"""Augmentation layers: identity at inference, active in training, any channel count."""

import numpy as np
import pytest

from skdeep.builders import augmentation_layers

ALL = {
    "flip": "horizontal_and_vertical",
    "rotation": 0.2,
    "zoom": 0.2,
    "translation": 0.2,
    "contrast": 0.5,
    "gaussian_noise": 0.2,
}


def _run(layers, x, training):
    for layer in layers:
        x = layer(x, training=training)
    return np.asarray(x)


def test_layers_in_order_and_none_when_off():
    names = [type(layer).__name__ for layer in augmentation_layers(**ALL)]
    assert names == [
        "RandomFlip",
        "RandomRotation",
        "RandomZoom",
        "RandomTranslation",
        "RandomContrast",
        "GaussianNoise",
    ]
    assert augmentation_layers() == []


@pytest.mark.parametrize("channels", [1, 3, 5])
@pytest.mark.parametrize("name", list(ALL))
def test_identity_at_inference_and_active_in_training(name, channels):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 12, 12, channels)).astype(np.float32)
    layers = augmentation_layers(**{name: ALL[name]}, seed=0)
    np.testing.assert_array_equal(_run(layers, x, training=False), x)
    out = _run(layers, x, training=True)
    assert out.shape == x.shape
    assert np.abs(out - x).max() > 1e-3


def test_contrast_does_not_clip_standardised_inputs():
    x = np.linspace(-3, 3, 2 * 6 * 6).astype(np.float32).reshape(2, 6, 6, 1)
    out = _run(augmentation_layers(contrast=0.5, seed=0), x, training=True)
    assert out.min() < -1.0  # a (0, 255) clip would have cut every negative value


def test_seeded_layers_repeat_and_use_distinct_streams():
    x = np.zeros((4, 8, 8, 1), np.float32)
    a = _run(augmentation_layers(gaussian_noise=1.0, seed=3), x, training=True)
    b = _run(augmentation_layers(gaussian_noise=1.0, seed=3), x, training=True)
    np.testing.assert_array_equal(a, b)
    seeds = [layer.seed for layer in augmentation_layers(**ALL, seed=10)]
    assert len(set(seeds)) == len(seeds)


def test_gaussian_noise_has_the_requested_std():
    x = np.zeros((64, 16, 16, 1), np.float32)
    out = _run(augmentation_layers(gaussian_noise=0.3, seed=0), x, training=True)
    assert out.std() == pytest.approx(0.3, rel=0.05)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"flip": "diagonal"}, "Received: flip='diagonal'"),
        ({"rotation": 1.5}, r"\[0, 1\). Received: rotation=1.5"),
        ({"translation": -0.1}, "Received: translation=-0.1"),
        ({"gaussian_noise": -1.0}, "Received: gaussian_noise=-1.0"),
    ],
)
def test_invalid_values(kwargs, message):
    with pytest.raises(ValueError, match=message):
        augmentation_layers(**kwargs)
