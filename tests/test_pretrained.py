"""Offline MobileNet v1 ImageNet weights: conversion faithful to the original graph.

Slow and real-data: needs ``make data`` (the ``nudity`` package; ``foolbox`` for the labelled
ImageNet sample images). Nothing is downloaded.
"""

import glob
import importlib.util
import os

import keras
import numpy as np
import pytest

from skdeep import pretrained

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("nudity") is None, reason="needs `make data` (nudity==0.2.3)"
    ),
]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("weights")
    full = pretrained.mobilenet_v1_imagenet_weights(folder, include_top=True)
    notop = pretrained.mobilenet_v1_imagenet_weights(folder)
    return full, notop


@pytest.fixture(scope="module")
def classifier(converted):
    return keras.applications.MobileNet(weights=str(converted[0]))


def test_logits_equal_the_original_graph(classifier):
    tf = pytest.importorskip("tensorflow")
    from tensorflow.core.framework import graph_pb2

    graph_def = graph_pb2.GraphDef()
    graph_def.ParseFromString(pretrained.nudity_graph_path().read_bytes())
    x = np.random.default_rng(0).uniform(-1, 1, (3, 224, 224, 3)).astype("float32")
    with tf.Graph().as_default() as graph:
        tf.graph_util.import_graph_def(graph_def, name="")
        with tf.compat.v1.Session(graph=graph) as session:
            reference = np.concatenate(
                [
                    session.run("MobilenetV1/Logits/SpatialSqueeze:0", {"input:0": x[i : i + 1]})
                    for i in range(len(x))
                ]
            )
    logits = keras.Model(classifier.input, classifier.get_layer("conv_preds").output)
    ours = keras.ops.convert_to_numpy(logits(x)).reshape(len(x), -1)
    assert reference.shape == (3, 1001)  # class 0 of the graph is "background"
    assert np.abs(reference).max() > 3  # real logits, not a degenerate network
    np.testing.assert_allclose(ours, reference[:, 1:], atol=1e-4)


def test_top5_on_labelled_imagenet_images(classifier):
    spec = importlib.util.find_spec("foolbox")
    if spec is None:
        pytest.skip("needs `make data` (foolbox==3.3.4 ships the sample images)")
    from PIL import Image

    folder = os.path.join(spec.submodule_search_locations[0], "data")
    files = sorted(glob.glob(os.path.join(folder, "imagenet_*.jpg")))
    assert len(files) == 20
    images = np.stack(
        [np.asarray(Image.open(f).convert("RGB").resize((224, 224))) for f in files]
    ).astype("float32")
    labels = np.array([int(f.rsplit("_", 1)[1].split(".")[0]) for f in files])
    proba = classifier.predict(keras.applications.mobilenet.preprocess_input(images), verbose=0)
    top5 = np.argsort(-proba, axis=1)[:, :5]
    assert np.mean(top5[:, 0] == labels) >= 0.75  # measured 17/20
    assert np.mean([label in row for label, row in zip(labels, top5)]) >= 0.95  # 20/20


def test_no_top_weights_load_at_small_sizes_and_are_cached(converted, monkeypatch):
    full, notop = converted
    base = keras.applications.MobileNet(
        include_top=False, weights=str(notop), input_shape=(64, 64, 3), pooling="avg"
    )
    reference = keras.applications.MobileNet(weights=str(full))
    np.testing.assert_array_equal(
        base.get_layer("conv_pw_13").get_weights()[0],
        reference.get_layer("conv_pw_13").get_weights()[0],
    )

    def fail(path):
        raise AssertionError("the graph was read again")

    monkeypatch.setattr(pretrained, "_graph_constants", fail)
    assert pretrained.mobilenet_v1_imagenet_weights(notop.parent) == notop
