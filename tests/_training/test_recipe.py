"""The training recipe: schedules, the user's optimizer schedule, callbacks, validation curves
without early stopping, what early stopping monitors, uniform architecture knobs."""

import csv
import math

import keras
import numpy as np
import pytest
from _transfer_weights import small_base_registered
from sklearn.utils._param_validation import InvalidParameterError

from skdeep import ANNClassifier, CNNClassifier, KerasClassifier, TransferClassifier
from skdeep.exceptions import ParameterError

FAST = dict(units=8, n_layers=1, random_state=0)


def _rates(est):
    return [round(r, 6) for r in est.history_["learning_rate"]]


# ------------------------------------------------------------------ schedules
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [0.01] * 6),
        ({"lr_schedule": "exponential", "lr_decay": 0.5}, [0.01 * 0.5**e for e in range(6)]),
        (
            {"lr_schedule": "step", "lr_decay": 0.1, "lr_decay_epochs": 2},
            [0.01, 0.01, 0.001, 0.001, 0.0001, 0.0001],
        ),
        (
            {"lr_schedule": "cosine", "lr_decay": 0.0 + 0.1},
            [0.001 + 0.009 * 0.5 * (1 + math.cos(math.pi * e / 5)) for e in range(6)],
        ),
        ({"warmup_epochs": 2}, [0.01 / 3, 0.02 / 3, 0.01, 0.01, 0.01, 0.01]),
        (
            {"warmup_epochs": 1, "lr_schedule": "exponential", "lr_decay": 0.5},
            [0.005, 0.01, 0.005, 0.0025, 0.00125, 0.000625],
        ),
    ],
    ids=["constant", "exponential", "step", "cosine", "warmup", "warmup+exponential"],
)
def test_history_records_the_rate_each_epoch_trained_at(binary_data, params, expected):
    X, y = binary_data
    est = ANNClassifier(epochs=6, learning_rate=0.01, **FAST, **params).fit(X, y)
    np.testing.assert_allclose(est.history_["learning_rate"], expected, rtol=1e-5)
    rate = float(keras.ops.convert_to_numpy(est.model_.optimizer.learning_rate))
    assert rate == pytest.approx(expected[-1], rel=1e-5)


def test_plateau_reduces_the_rate_when_the_validation_loss_stalls(binary_data):
    X, y = binary_data
    est = ANNClassifier(
        epochs=30,
        learning_rate=0.5,  # too large: the validation loss soon stops improving
        lr_schedule="plateau",
        lr_decay=0.5,
        lr_decay_epochs=2,
        validation_fraction=0.3,
        **FAST,
    ).fit(X, y)
    rates, val = est.history_["learning_rate"], est.history_["val_loss"]
    assert rates[0] == 0.5 and min(rates) < 0.5
    first = next(i for i, r in enumerate(rates) if r < 0.5)
    # the first reduction follows two epochs without a new best validation loss
    best_before = min(val[: first - 2])
    assert min(val[first - 2 : first]) >= best_before


def test_warm_start_continues_the_schedule(binary_data):
    X, y = binary_data
    params = dict(learning_rate=0.01, lr_schedule="exponential", lr_decay=0.5, **FAST)
    est = ANNClassifier(epochs=2, warm_start=True, **params).fit(X, y).fit(X, y)
    one_run = ANNClassifier(epochs=4, **params).fit(X, y)
    assert _rates(est) == _rates(one_run)


def test_a_schedule_does_not_change_the_compiled_model(binary_data, pool):
    X, y = binary_data
    for schedule in ("constant", "exponential", "step", "cosine", "plateau"):
        ANNClassifier(epochs=2, lr_schedule=schedule, early_stopping=True, **FAST).fit(X, y)
    assert len(pool) == 1


# ------------------------------------------------------------------ the user's optimizer
def test_a_scheduled_optimizer_keeps_its_schedule(binary_data):
    X, y = binary_data
    decay = keras.optimizers.schedules.ExponentialDecay(1e-2, decay_steps=5, decay_rate=0.5)
    est = ANNClassifier(optimizer=keras.optimizers.SGD(learning_rate=decay), epochs=3, **FAST)
    est.fit(X, y)
    steps_per_epoch = math.ceil(len(X) / 32)
    expected = [1e-2 * 0.5 ** (steps_per_epoch * (e + 1) / 5) for e in range(3)]
    np.testing.assert_allclose(est.history_["learning_rate"], expected, rtol=1e-4)
    assert est.history_["learning_rate"][0] != 1e-3  # never the estimator's default rate


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"learning_rate": 0.01}, "learning_rate"),
        ({"lr_schedule": "step"}, "lr_schedule"),
        ({"warmup_epochs": 1}, "warmup_epochs"),
    ],
)
def test_a_scheduled_optimizer_conflicts_are_named(binary_data, params, name):
    X, y = binary_data
    decay = keras.optimizers.schedules.ExponentialDecay(1e-2, decay_steps=5, decay_rate=0.5)
    est = ANNClassifier(optimizer=keras.optimizers.SGD(learning_rate=decay), epochs=3, **params)
    with pytest.raises(ParameterError, match=rf"{name} would replace it.*Received: {name}="):
        est.fit(X, y)


def test_learning_rate_none_takes_the_optimizer_instance_rate(binary_data):
    X, y = binary_data
    est = ANNClassifier(optimizer=keras.optimizers.SGD(learning_rate=0.05), epochs=2, **FAST)
    assert _rates(est.fit(X, y)) == [0.05, 0.05]
    assert _rates(est.set_params(learning_rate=0.02).fit(X, y)) == [0.02, 0.02]
    assert _rates(ANNClassifier(epochs=1, **FAST).fit(X, y)) == [0.001]


# ------------------------------------------------------------------ validation curves
def test_a_fixed_epoch_fit_records_validation_curves(binary_data):
    X, y = binary_data
    est = ANNClassifier(epochs=4, validation_fraction=0.2, **FAST).fit(X, y)
    assert est.n_epochs_ == 4 and len(est.history_["val_loss"]) == 4
    assert est.best_epoch_ is None  # nothing restored without early stopping
    plain = ANNClassifier(epochs=4, **FAST).fit(X, y)
    assert "val_loss" not in plain.history_
    stopped = ANNClassifier(epochs=4, early_stopping=True, **FAST).fit(X, y)
    assert len(stopped.history_["val_loss"]) == stopped.n_epochs_


# ------------------------------------------------------------------ monitors
@pytest.mark.parametrize(
    "monitor",
    ["val_accuracy", "val_auc", "val_f1", "val_recall", "val_precision", "val_specificity"],
)
def test_early_stopping_restores_the_best_epoch_of_the_monitored_value(cancer, monitor):
    X, y = cancer
    est = ANNClassifier(
        epochs=25, early_stopping=True, monitor=monitor, patience=3, learning_rate=0.01, **FAST
    ).fit(X, y)
    values = est.history_[monitor]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert est.best_epoch_ == int(np.argmax(values)) + 1


def test_monitored_metrics_are_the_validation_part_scores(cancer):
    from sklearn.metrics import recall_score

    from skdeep._training._split import inner_split

    X, y = cancer
    est = ANNClassifier(
        epochs=3, validation_fraction=0.2, monitor="val_recall", random_state=0, units=8
    ).fit(X, y)
    _, val = inner_split(y, 0.2, 0)
    assert est.history_["val_recall"][-1] == pytest.approx(
        recall_score(y[val], est.predict(X[val]))
    )


def test_min_delta_demands_a_real_improvement(cancer):
    X, y = cancer
    common = dict(epochs=40, early_stopping=True, patience=2, learning_rate=0.01, **FAST)
    strict = ANNClassifier(min_delta=0.5, **common).fit(X, y)
    assert strict.best_epoch_ == 1 and strict.n_epochs_ == 4  # nothing improves by 0.5


def test_monitor_needs_a_validation_part(binary_data):
    X, y = binary_data
    with pytest.raises(ParameterError, match=r"monitor='val_auc'.*holds none out"):
        ANNClassifier(monitor="val_auc", epochs=1).fit(X, y)


# ------------------------------------------------------------------ callbacks
class Spy(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append(dict(logs))


def test_user_callbacks_see_validation_logs_and_are_copied_per_fit(binary_data):
    X, y = binary_data
    spy = Spy()
    est = ANNClassifier(epochs=2, validation_fraction=0.2, callbacks=[spy], **FAST).fit(X, y)
    assert spy.seen == []  # the parameter is a template: each fit trains with a copy
    assert est.callbacks[0] is spy


def test_callbacks_receive_val_loss_and_the_rate(binary_data, tmp_path):
    X, y = binary_data
    log = tmp_path / "log.csv"
    ANNClassifier(
        epochs=3, validation_fraction=0.2, callbacks=[keras.callbacks.CSVLogger(str(log))], **FAST
    ).fit(X, y)
    rows = list(csv.DictReader(log.open()))
    assert len(rows) == 3 and {"val_loss", "val_accuracy", "learning_rate"} <= set(rows[0])


def test_reduce_lr_on_plateau_and_terminate_on_nan_work(binary_data):
    X, y = binary_data
    plateau = keras.callbacks.ReduceLROnPlateau(
        monitor="val_loss", patience=0, factor=0.5, min_delta=10.0
    )
    est = ANNClassifier(
        epochs=4, validation_fraction=0.2, callbacks=[plateau], learning_rate=0.01, **FAST
    )
    # the first epoch sets the best value; each later one misses min_delta and halves the rate
    assert _rates(est.fit(X, y)) == [0.01, 0.01, 0.005, 0.0025]
    nan = ANNClassifier(epochs=2, callbacks=[keras.callbacks.TerminateOnNaN()], **FAST).fit(X, y)
    assert nan.n_epochs_ == 2


def test_model_checkpoint_keeps_the_best_weights_file(binary_data, tmp_path):
    X, y = binary_data
    path = tmp_path / "ckpt" / "{fit}.weights.h5"
    check = keras.callbacks.ModelCheckpoint(
        str(path), monitor="val_loss", save_best_only=True, save_weights_only=True
    )
    ANNClassifier(epochs=3, validation_fraction=0.2, callbacks=[check], **FAST).fit(X, y)
    (saved,) = (tmp_path / "ckpt").iterdir()
    assert saved.name.endswith(".weights.h5") and "{fit}" not in saved.name


def test_a_raising_callback_stops_the_fit_and_changes_nothing(binary_data):
    X, y = binary_data

    class Boom(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise RuntimeError("callback failed")

    est = ANNClassifier(epochs=2, **FAST).fit(X, y)
    before = est.predict_proba(X)
    with pytest.raises(RuntimeError, match="callback failed"):
        est.set_params(epochs=3, callbacks=[Boom()]).fit(X, y)
    np.testing.assert_array_equal(est.predict_proba(X), before)
    assert est.n_epochs_ == 2


@pytest.mark.parametrize(
    ("callbacks", "match"),
    [
        (["not a callback"], r"callbacks\[0\]='not a callback'"),
        ([keras.callbacks.ModelCheckpoint(__file__ + "/m.keras")], "not writable"),
        ([keras.callbacks.ReduceLROnPlateau()], "ReduceLROnPlateau and lr_schedule"),
    ],
)
def test_bad_callbacks_are_named_before_training(binary_data, callbacks, match, monkeypatch):
    X, y = binary_data
    monkeypatch.setattr(keras.Model, "fit", lambda *a, **k: pytest.fail("trained"))
    schedule = "step" if isinstance(callbacks[0], keras.callbacks.ReduceLROnPlateau) else "constant"
    with pytest.raises(ParameterError, match=match):
        ANNClassifier(callbacks=callbacks, lr_schedule=schedule).fit(X, y)


# ------------------------------------------------------------------ bad recipe parameters
@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        ({"lr_schedule": "linear"}, InvalidParameterError, "lr_schedule"),
        ({"monitor": "val_mse"}, InvalidParameterError, "monitor"),
        ({"lr_decay": 0.0}, InvalidParameterError, "lr_decay"),
        ({"lr_decay": 1.5}, InvalidParameterError, "lr_decay"),
        ({"warmup_epochs": -1}, InvalidParameterError, "warmup_epochs"),
        (
            {"warmup_epochs": 5, "epochs": 5},
            ParameterError,
            r"warmup_epochs < epochs.*warmup_epochs=5",
        ),
        ({"validation_fraction": 1.0}, InvalidParameterError, "validation_fraction"),
    ],
)
def test_bad_recipe_parameters_are_named(binary_data, params, error, match):
    X, y = binary_data
    with pytest.raises(error, match=match):
        ANNClassifier(**params).fit(X, y)


def test_decay_without_a_schedule_warns(binary_data):
    X, y = binary_data
    with pytest.warns(UserWarning, match="lr_decay has no effect"):
        ANNClassifier(epochs=1, lr_decay=0.5, **FAST).fit(X, y)


# ------------------------------------------------------------------ architecture knobs
def test_cnn_kernel_initializer_and_leaky_slope_reach_the_layers():
    X = np.random.default_rng(0).random((20, 6, 6)).astype("float32")
    y = np.arange(20) % 2
    est = CNNClassifier(
        n_blocks=1,
        filters=2,
        dense_units=4,
        epochs=1,
        activation="leaky_relu",
        kernel_initializer="glorot_normal",
        negative_slope=0.05,
    ).fit(X, y)
    convs = [layer for layer in est.model_.layers if isinstance(layer, keras.layers.Conv2D)]
    assert all(type(c.kernel_initializer).__name__ == "GlorotNormal" for c in convs)
    leaky = [layer for layer in est.model_.layers if isinstance(layer, keras.layers.LeakyReLU)]
    assert leaky and all(layer.negative_slope == pytest.approx(0.05) for layer in leaky)


def test_transfer_head_takes_the_same_knobs():
    head = TransferClassifier(
        weights=None, activation="leaky_relu", negative_slope=0.1, kernel_initializer="lecun_normal"
    )._builder_params()
    assert (head["activation"], head["negative_slope"], head["kernel_initializer"]) == (
        "leaky_relu",
        0.1,
        "lecun_normal",
    )


def test_slope_with_another_activation_warns_at_the_users_line(binary_data):
    X, y = binary_data
    with pytest.warns(
        UserWarning, match="negative_slope=0.1 has no effect with activation='relu'"
    ) as caught:
        ANNClassifier(epochs=1, negative_slope=0.1, **FAST).fit(X, y)
    slope = [w.filename for w in caught if "negative_slope" in str(w.message)]
    assert slope == [__file__]  # not a line inside skdeep
    for est in (  # the same check through each family's mixins (a fixed stacklevel was wrong)
        CNNClassifier(negative_slope=0.1, image_shape=(2, 2)),
        TransferClassifier(weights=None, negative_slope=0.1),
    ):
        with pytest.warns(UserWarning, match="negative_slope=0.1 has no effect") as caught:
            est._check_params()
        assert [w.filename for w in caught] == [__file__]


def test_keras_classifier_takes_the_recipe(binary_data):
    def net(meta):
        return keras.Sequential(
            [keras.Input(meta["input_shape"]), keras.layers.Dense(1, activation="sigmoid")]
        )

    X, y = binary_data
    est = KerasClassifier(
        net,
        epochs=3,
        learning_rate=0.01,
        lr_schedule="exponential",
        lr_decay=0.5,
        validation_fraction=0.2,
    ).fit(X, y)
    assert _rates(est) == [0.01, 0.005, 0.0025] and len(est.history_["val_loss"]) == 3


def test_transfer_phases_share_one_log_and_each_follow_the_schedule(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, (30, 28, 28), dtype=np.uint8)
    labels = np.repeat([0, 1, 2], 10)
    log = tmp_path / "log.csv"
    with small_base_registered(weights=None) as base:
        est = _transfer_with_a_log(base, log).fit(images, labels)
    assert _rates(est) == [0.01, 0.005, 0.001, 0.0005]  # fine-tuning restarts the schedule
    rows = list(csv.DictReader(log.open()))
    assert [int(r["epoch"]) for r in rows] == [0, 1, 2, 3]


def _transfer_with_a_log(base: dict, log) -> TransferClassifier:
    return TransferClassifier(
        **base,  # a random base of five convolutions (tests/_transfer_weights.py)
        input_size=32,
        epochs=2,
        fine_tune_epochs=2,
        learning_rate=0.01,
        fine_tune_learning_rate=0.001,
        lr_schedule="exponential",
        lr_decay=0.5,
        callbacks=[keras.callbacks.CSVLogger(str(log))],
        random_state=0,
    )
