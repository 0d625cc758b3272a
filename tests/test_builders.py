"""Builders: every keyword is an estimator parameter of the same name; CNN layout rules."""

import inspect

import keras
import pytest

from skdeep import ANNClassifier, CNNClassifier, TransferClassifier
from skdeep.builders import build_ann, build_cnn, build_transfer


def _builder_keywords(builder):
    params = inspect.signature(builder).parameters
    output = ("input_shape", "n_classes", "n_outputs")  # the data decide these
    return {k: p.default for k, p in params.items() if k not in output}


@pytest.mark.parametrize(
    ("builder", "estimator"),
    [
        (build_ann, ANNClassifier),
        (build_cnn, CNNClassifier),
        (build_transfer, TransferClassifier),
    ],
)
def test_builder_keywords_are_estimator_params_one_to_one(builder, estimator):
    keywords = _builder_keywords(builder)
    est_params = estimator().get_params()
    assert set(keywords) <= set(est_params)
    assert set(estimator()._builder_params()) == set(keywords)
    # same defaults on both sides of the boundary
    assert {k: est_params[k] for k in keywords} == keywords
    # and _builder_params passes each parameter's current value, not a default
    est = estimator()
    for name, default in keywords.items():
        assert est._builder_params()[name] == default


def _layers(model, kind):
    return [layer for layer in model.layers if isinstance(layer, kind)]


def test_filters_double_per_block_and_dense_head():
    model = build_cnn(
        input_shape=(32, 32, 3),
        n_classes=5,
        n_blocks=3,
        convs_per_block=1,
        filters=8,
        dense_units=20,
    )
    assert [c.filters for c in _layers(model, keras.layers.Conv2D)] == [8, 16, 32]
    vgg = build_cnn(input_shape=(32, 32, 3), n_classes=5, n_blocks=2, convs_per_block=2)
    assert [c.filters for c in _layers(vgg, keras.layers.Conv2D)] == [16, 16, 32, 32]
    assert len(_layers(vgg, keras.layers.MaxPooling2D)) == 2
    assert model.get_layer(index=-1).output.shape == (None, 5)
    assert [d.units for d in _layers(model, keras.layers.Dense)] == [20, 5]
    assert len(_layers(model, keras.layers.MaxPooling2D)) == 3
    # 32 -> 16 -> 8 -> 4: 4 * 4 * 32 features into the dense layer
    assert _layers(model, keras.layers.Flatten)[0].output.shape == (None, 4 * 4 * 32)


def test_pooling_never_shrinks_below_one_pixel():
    model = build_cnn(input_shape=(3, 3, 1), n_classes=2, n_blocks=4, filters=2)
    pools = _layers(model, keras.layers.MaxPooling2D)
    assert [p.pool_size for p in pools] == [(2, 2)]
    row = build_cnn(input_shape=(1, 5, 1), n_classes=2, n_blocks=3, filters=2)
    assert [p.pool_size for p in _layers(row, keras.layers.MaxPooling2D)] == [(1, 2), (1, 2)]
    assert model.output_shape == row.output_shape == (None, 1)


def test_options_change_the_layers():
    model = build_cnn(
        input_shape=(8, 8, 1),
        n_classes=3,
        convs_per_block=1,
        pooling="avg",
        dense_units=0,
        batch_norm=True,
        dropout=0.0,
        l2=1e-3,
    )
    assert _layers(model, keras.layers.AveragePooling2D)
    assert not _layers(model, keras.layers.MaxPooling2D)
    assert [d.units for d in _layers(model, keras.layers.Dense)] == [3]
    assert len(_layers(model, keras.layers.BatchNormalization)) == 2
    assert all(not c.use_bias for c in _layers(model, keras.layers.Conv2D))
    assert not _layers(model, keras.layers.Dropout)
    assert len(model.losses) == 2  # one L2 penalty per convolution


def test_build_cnn_errors():
    with pytest.raises(ValueError, match=r"\(height, width, channels\).*\(8, 8\)"):
        build_cnn(input_shape=(8, 8), n_classes=2)
    with pytest.raises(ValueError, match="Received: pooling='min'"):
        build_cnn(input_shape=(8, 8, 1), n_classes=2, pooling="min")
