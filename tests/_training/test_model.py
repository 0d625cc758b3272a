"""A newly compiled network: built before the seeded run, its train step traced once, and
trained exactly like a reused one."""

import keras
import numpy as np
import pytest

from skdeep import ANNClassifier, KerasClassifier

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="TensorFlow's tracing of the train step"
)


@pytest.fixture
def traces(monkeypatch):
    """The names of the models whose ``train_step`` TensorFlow traced (one entry per trace)."""
    seen = []
    original = keras.Model.train_step

    def counted(self, data):
        seen.append(self.name)
        return original(self, data)

    monkeypatch.setattr(keras.Model, "train_step", counted)
    return seen


def test_a_new_network_traces_its_train_step_once(binary_data, pool, traces):
    # Keras builds the accuracy metric's variables lazily; built inside the first trace they
    # made TensorFlow trace the whole step twice
    X, y = binary_data
    est = ANNClassifier(epochs=2, units=7, random_state=0).fit(X, y)
    assert len(traces) == 1
    est.fit(X, y)  # the refit trains in a second network: the first is still est.model_
    assert len(traces) == 2 and len(pool) == 2
    ANNClassifier(epochs=2, units=7, random_state=0).fit(X, y)  # a free network: no trace
    assert len(traces) == 2


def test_a_new_network_trains_like_a_reused_one(binary_data, pool):
    X, y = binary_data
    params = {"epochs": 3, "units": 7, "dropout": 0.2, "early_stopping": True}
    first = ANNClassifier(**params, random_state=3).fit(X, y)  # compiles: the warm-up runs
    history, proba = first.history_, first.predict_proba(X)
    del first
    again = ANNClassifier(**params, random_state=3).fit(X, y)  # the same, reused network
    assert len(pool) == 1
    assert again.history_ == history  # accuracy included: the warm-up's update is not in it
    np.testing.assert_array_equal(again.predict_proba(X), proba)
    assert 0.5 < history["accuracy"][-1] <= 1.0


class GraphOnlyMean(keras.metrics.Metric):
    """A user's metric that refuses to run eagerly (as code written for graphs may)."""

    def __init__(self, name="graph_only_mean", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        import tensorflow as tf

        if tf.executing_eagerly():
            raise RuntimeError("this metric runs in a graph only")
        self.total.assign_add(keras.ops.sum(y_pred))
        self.count.assign_add(keras.ops.cast(keras.ops.shape(y_pred)[0], "float32"))

    def result(self):
        return self.total / keras.ops.maximum(self.count, 1.0)


def graph_only_metric_network(meta):
    model = keras.Sequential(
        [
            keras.Input(meta["input_shape"]),
            keras.layers.Dense(4, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile("adam", "binary_crossentropy", metrics=[GraphOnlyMean()])
    return model


def test_a_metric_that_runs_only_in_a_graph_is_left_to_keras(binary_data, pool):
    X, y = binary_data
    est = KerasClassifier(graph_only_metric_network, epochs=2, random_state=0).fit(X, y)
    means = est.history_["graph_only_mean"]
    assert len(means) == 2 and all(0.0 < m < 1.0 for m in means)  # a mean probability
