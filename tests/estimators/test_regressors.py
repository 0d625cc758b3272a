"""ANNRegressor, CNNRegressor, KerasRegressor: scikit-learn regressors with skdeep's training."""

import keras
import numpy as np
import pytest
from sklearn.base import clone, is_regressor
from sklearn.datasets import load_diabetes
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV, KFold, check_cv, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skdeep
from skdeep import ANNRegressor, CNNRegressor, KerasRegressor
from skdeep._training._split import inner_split, quantile_strata
from skdeep.exceptions import DataError, ParameterError

FAST = dict(units=16, n_layers=1, random_state=0)


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    return StandardScaler().fit_transform(X).astype("float32"), y


def linear_net(meta, units=8):
    return keras.Sequential(
        [
            keras.Input(meta["input_shape"]),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(meta["n_outputs"]),
        ]
    )


# ------------------------------------------------------------------ a scikit-learn regressor
def test_is_a_regressor_scored_by_r2_and_split_by_kfold(diabetes):
    X, y = diabetes
    est = ANNRegressor(epochs=30, **FAST).fit(X, y)
    assert is_regressor(est) and est.score(X, y) == pytest.approx(r2_score(y, est.predict(X)))
    assert est.score(X, y) > 0.45
    assert type(check_cv(5, y, classifier=False)) is KFold
    search = GridSearchCV(
        make_pipeline(StandardScaler(), est), {"annregressor__units": [4, 16]}, cv=3
    )
    assert search.fit(X, y).best_score_ > 0.3


@pytest.mark.parametrize("loss", ["mse", "mae", "huber", "log_cosh"])
def test_each_loss_trains_and_validates_with_that_loss(diabetes, loss):
    X, y = diabetes
    est = ANNRegressor(epochs=3, loss=loss, huber_delta=0.5, validation_fraction=0.2, **FAST)
    est.fit(X, y)
    head = est._head_of(est.model_)
    _, val = inner_split(quantile_strata(y, 0.2), 0.2, 0)
    raw = (est.predict(X[val]) - est.target_mean_[0]) / est.target_scale_[0]
    errors = raw.reshape(-1, 1) - head.keras_target(y[val])
    assert est.history_["val_loss"][-1] == pytest.approx(
        head.per_sample_loss(errors).mean(), rel=1e-4
    )
    # the training loss is the same function Keras minimised
    expected = {"mse": "mean_squared_error", "mae": "mean_absolute_error", "log_cosh": "log_cosh"}
    compiled = est.model_.loss
    assert (type(compiled).__name__ == "Huber") if loss == "huber" else compiled == expected[loss]


def test_huber_delta_changes_the_fit(diabetes):
    X, y = diabetes
    a = ANNRegressor(epochs=3, loss="huber", huber_delta=0.1, **FAST).fit(X, y).predict(X[:5])
    b = ANNRegressor(epochs=3, loss="huber", huber_delta=2.0, **FAST).fit(X, y).predict(X[:5])
    assert not np.allclose(a, b)


def test_multi_output_targets_get_one_unit_per_column(diabetes):
    X, y = diabetes
    Y = np.c_[y, -2 * y, y / 100]
    est = ANNRegressor(epochs=5, **FAST).fit(X, Y)
    assert est.n_outputs_ == 3 and est.model_.output_shape == (None, 3)
    pred = est.predict(X)
    assert pred.shape == (442, 3)
    np.testing.assert_allclose(est.target_mean_, Y.mean(axis=0))
    assert ANNRegressor(epochs=1, **FAST).fit(X, y).predict(X).shape == (442,)
    assert ANNRegressor(epochs=1, **FAST).fit(X, y.reshape(-1, 1)).predict(X).shape == (442, 1)


# ------------------------------------------------------------------ target scaling, no leakage
def test_target_scaling_comes_from_the_training_part_only(diabetes):
    X, y = diabetes
    est = ANNRegressor(epochs=1, early_stopping=True, **FAST).fit(X, y)
    train, val = inner_split(quantile_strata(y, 0.1), 0.1, 0)
    assert est.target_mean_[0] == pytest.approx(y[train].mean())
    assert est.target_scale_[0] == pytest.approx(y[train].std())
    assert est.target_mean_[0] != pytest.approx(y.mean(), abs=1e-9)  # not the whole data


def test_a_test_fold_never_influences_the_scaling(diabetes):
    X, y = diabetes
    folds = list(KFold(3, shuffle=True, random_state=0).split(X))
    train, test = folds[0]
    est = ANNRegressor(epochs=1, **FAST).fit(X[train], y[train])
    poisoned = y.copy()
    poisoned[test] *= 1000  # only the test fold changes
    twin = ANNRegressor(epochs=1, **FAST).fit(X[train], poisoned[train])
    np.testing.assert_array_equal(est.target_mean_, twin.target_mean_)
    np.testing.assert_array_equal(est.predict(X[test]), twin.predict(X[test]))


def test_predictions_come_back_in_the_target_units(diabetes):
    X, y = diabetes
    scaled = ANNRegressor(epochs=40, learning_rate=0.01, **FAST).fit(X, y * 1000 + 5e5)
    pred = scaled.predict(X)
    assert abs(pred.mean() - (y.mean() * 1000 + 5e5)) < 0.1 * y.std() * 1000
    raw = ANNRegressor(epochs=1, scale_target=False, **FAST).fit(X, y)
    assert raw.target_mean_ is None and raw.target_scale_ is None


def test_the_early_stopping_split_spans_the_target_range(diabetes):
    _, y = diabetes
    train, val = inner_split(quantile_strata(y, 0.1), 0.1, 0)
    edges = np.quantile(y, np.linspace(0, 1, 11))
    counts = np.histogram(y[val], bins=edges)[0]
    assert counts.min() >= 3  # every decile of the target is in the validation part


# ------------------------------------------------------------------ weights, errors
def test_sample_weight_moves_predictions(diabetes):
    X, y = diabetes
    high = y > np.median(y)
    plain = ANNRegressor(epochs=10, learning_rate=0.01, **FAST).fit(X, y)
    weighted = ANNRegressor(epochs=10, learning_rate=0.01, **FAST).fit(
        X, y, sample_weight=np.where(high, 10.0, 0.1)
    )
    err = lambda est, mask: np.abs(est.predict(X[mask]) - y[mask]).mean()  # noqa: E731
    assert err(weighted, high) < err(plain, high)


@pytest.mark.parametrize("name", ["class_weight", "sampler"])
def test_classifier_only_parameters_are_refused(name):
    with pytest.raises(TypeError, match=name):
        ANNRegressor(**{name: "balanced"})
    with pytest.raises(ValueError, match=f"Invalid parameter '{name}'"):
        ANNRegressor().set_params(**{name: "balanced"})


@pytest.mark.parametrize(
    ("y", "match"),
    [
        (np.array(["a", "b"] * 221), "Unknown label type for a regressor"),
        (np.r_[np.nan, np.zeros(441)], "NaN or infinity"),
        (np.zeros(10), "different numbers of samples"),
        (np.zeros((442, 2, 2)), "shape"),
        (np.r_[1e39, np.zeros(441)], "float32 cannot represent"),
    ],
    ids=["strings", "nan", "length", "rank", "range"],
)
def test_bad_targets_are_named(diabetes, y, match, monkeypatch):
    X, _ = diabetes
    monkeypatch.setattr(keras.Model, "fit", lambda *a, **k: pytest.fail("trained"))
    with pytest.raises(DataError, match=match):
        ANNRegressor(epochs=1).fit(X, y)


def test_warm_start_keeps_its_scaling_and_columns(diabetes):
    X, y = diabetes
    est = ANNRegressor(epochs=2, warm_start=True, **FAST).fit(X, y)
    mean = est.target_mean_.copy()
    est.fit(X, y + 100)
    assert est.n_epochs_ == 4 and est.target_mean_ == pytest.approx(mean)
    with pytest.raises(DataError, match=r"with 1 column\(s\). Received: y with 2"):
        est.fit(X, np.c_[y, y])


def test_partial_fit_and_monitors(diabetes):
    X, y = diabetes
    est = ANNRegressor(**FAST)
    est.partial_fit(X[:200], y[:200]).partial_fit(X[200:], y[200:])
    assert est.n_epochs_ == 2
    stop = ANNRegressor(
        epochs=30, early_stopping=True, monitor="val_r2", patience=3, learning_rate=0.01, **FAST
    ).fit(X, y)
    assert stop.best_epoch_ == int(np.argmax(stop.history_["val_r2"])) + 1
    with pytest.raises(ValueError, match="monitor"):
        ANNRegressor(monitor="val_auc", early_stopping=True).fit(X, y)


def test_same_seed_same_predictions_and_round_trips(diabetes, tmp_path):
    X, y = diabetes
    a = ANNRegressor(epochs=3, dropout=0.2, **FAST).fit(X, y)
    b = ANNRegressor(epochs=3, dropout=0.2, **FAST).fit(X, y)
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    loaded = skdeep.load(a.save(tmp_path / "r.skdeep"))
    np.testing.assert_array_equal(loaded.predict(X), a.predict(X))
    assert clone(a).get_params() == a.get_params()


# ------------------------------------------------------------------ images and user networks
def test_cnn_regressor_reads_a_value_off_images(tmp_path):
    rng = np.random.default_rng(0)
    level = rng.random(200).astype("float32")
    images = (level[:, None, None] + rng.normal(0, 0.05, (200, 8, 8))).astype("float32")
    brightness = level * 10  # a value to read off each (noisy) image
    est = CNNRegressor(
        n_blocks=1,
        filters=4,
        dense_units=16,
        dropout=0.0,
        epochs=20,
        learning_rate=0.01,
        random_state=0,
    )
    est.fit(images[:150], brightness[:150])
    assert est.image_shape_ == (8, 8, 1) and est.score(images[150:], brightness[150:]) > 0.9
    loaded = skdeep.load(est.save(tmp_path / "cnn.skdeep"))
    np.testing.assert_array_equal(loaded.predict(images[:5]), est.predict(images[:5]))


def test_keras_regressor_runs_the_users_network(diabetes, tmp_path):
    X, y = diabetes
    est = KerasRegressor(linear_net, model__units=16, epochs=30, learning_rate=0.01, random_state=0)
    assert cross_val_score(est, X, y, cv=3).mean() > 0.3
    est.fit(X, np.c_[y, y])
    assert est.predict(X).shape == (442, 2)
    loaded = skdeep.load(est.save(tmp_path / "k.skdeep"))
    np.testing.assert_array_equal(loaded.predict(X), est.predict(X))


def test_keras_regressor_output_contract_and_own_loss(diabetes):
    X, y = diabetes

    def two(meta):
        return keras.Sequential([keras.Input(meta["input_shape"]), keras.layers.Dense(2)])

    with pytest.raises(
        ParameterError, match=r"Expected one output of shape \(None, 1\).*\(None, 2\)"
    ):
        KerasRegressor(two, epochs=1).fit(X, y)

    def compiled(meta):
        model = linear_net(meta)
        model.compile(optimizer="adam", loss=keras.losses.Huber(delta=0.3))
        return model

    est = KerasRegressor(compiled, epochs=2, validation_fraction=0.2, random_state=0).fit(X, y)
    assert type(est.model_.loss).__name__ == "Huber" and len(est.history_["val_loss"]) == 2
