"""KerasClassifier: the user's own network, routed parameters, output contract, compiling."""

import copy
import gc
import pickle

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import KerasClassifier
from skdeep.exceptions import DataError, ParameterError

SEEN = {}


def mlp(meta, units=8, activation="relu"):
    SEEN["meta"] = meta
    n_out = meta["n_outputs"]
    return keras.Sequential(
        [
            keras.Input(meta["input_shape"]),
            keras.layers.Dense(units, activation=activation),
            keras.layers.Dense(n_out, activation="sigmoid" if n_out == 1 else "softmax"),
        ]
    )


def scikeras_style(hidden_layer_sizes, meta, compile_kwargs):
    """The shape of model function scikeras' documentation teaches."""
    model = keras.Sequential([keras.Input((meta["n_features_in_"],))])
    for size in hidden_layer_sizes:
        model.add(keras.layers.Dense(size, activation="relu"))
    model.add(keras.layers.Dense(meta["n_classes_"], activation="softmax"))
    model.compile(loss="sparse_categorical_crossentropy", optimizer=compile_kwargs["optimizer"])
    return model


def own_optimizer(meta):
    model = mlp(meta)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.123), loss="binary_crossentropy")
    return model


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X).astype("float32"), y


# ------------------------------------------------------------------ routed parameters
def test_routed_parameters_are_parameters(iris):
    X, y = iris
    est = KerasClassifier(mlp, model__units=4, epochs=1)
    assert est.get_params()["model__units"] == 4
    est.set_params(model__units=6, model__activation="tanh")
    assert est.get_params()["model__units"] == 6
    assert est.get_params(deep=False)["model__activation"] == "tanh"
    twin = clone(est)
    assert twin.get_params() == est.get_params() and twin is not est
    est.fit(X, y)
    dense = est.model_.layers[0]
    assert dense.units == 6 and dense.activation.__name__ == "tanh"


def test_repr_shows_routed_parameters():
    assert "model__units=4" in repr(KerasClassifier(mlp, model__units=4))


@pytest.mark.parametrize("search", ["grid", "random"])
def test_searchable_inside_a_pipeline(iris, search):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), KerasClassifier(mlp, epochs=3, random_state=0))
    space = {"kerasclassifier__model__units": [2, 12]}
    if search == "grid":
        found = GridSearchCV(pipe, space, cv=3).fit(X, y)
    else:
        found = RandomizedSearchCV(pipe, space, n_iter=2, cv=3, random_state=0).fit(X, y)
    assert sorted(found.cv_results_["param_kerasclassifier__model__units"]) == [2, 12]
    best = found.best_estimator_[-1]
    assert best.model_.layers[0].units == found.best_params_["kerasclassifier__model__units"]


def test_bayes_search_over_a_routed_parameter(iris):
    skopt = pytest.importorskip("skopt")
    X, y = iris
    search = skopt.BayesSearchCV(
        KerasClassifier(mlp, epochs=2, random_state=0),
        {"model__units": skopt.space.Integer(2, 16)},
        n_iter=3,
        cv=2,
        random_state=0,
    ).fit(X, y)
    assert 2 <= search.best_params_["model__units"] <= 16


def test_meta_describes_the_data(iris):
    X, y = iris
    KerasClassifier(mlp, epochs=1).fit(X, np.array(["a", "b", "c"])[y])
    meta = SEEN["meta"]
    assert meta["n_features_in_"] == 4 and meta["input_shape"] == (4,)
    assert meta["n_classes_"] == 3 and meta["n_outputs"] == 3
    assert meta["classes_"].tolist() == ["a", "b", "c"]
    assert meta["target_type_"] == "multiclass" and meta["X_shape_"] == (None, 4)
    KerasClassifier(mlp, epochs=1).fit(X, y == 1)
    assert SEEN["meta"]["n_outputs"] == 1 and SEEN["meta"]["target_type_"] == "binary"


def test_scikeras_model_function_runs_unchanged(iris):
    X, y = iris
    est = KerasClassifier(scikeras_style, hidden_layer_sizes=(16,), epochs=20, random_state=0)
    assert est.get_params()["hidden_layer_sizes"] == (16,)
    assert est.fit(X, y).score(X, y) > 0.8
    # compiled with compile_kwargs["optimizer"]: skdeep's learning rate applies
    fast = clone(est).set_params(learning_rate=0.05).fit(X, y)
    rate = keras.ops.convert_to_numpy(fast.model_.optimizer.learning_rate)
    assert float(rate) == pytest.approx(0.05)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"model__unitz": 3}, r"no argument named 'unitz'.*Received: model__unitz"),
        ({"optimizer__learning_rate": 0.1}, r"Expected instead: optimizer, learning_rate"),
        ({"fit__shuffle": False}, r"flat training parameters"),
    ],
)
def test_unknown_routed_parameters_are_named_before_training(iris, params, match, monkeypatch):
    X, y = iris
    monkeypatch.setattr(keras.Model, "fit", lambda *a, **k: pytest.fail("trained"))
    with pytest.raises(ParameterError, match=match):
        KerasClassifier(mlp, **params).fit(X, y)


def test_model_is_required():
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="'model' parameter.*Got None"):
        KerasClassifier(epochs=1).fit(np.zeros((4, 2)), [0, 1, 0, 1])


# ------------------------------------------------------------------ output contract
def test_output_contract_names_shapes(iris):
    X, y = iris

    def wrong(meta):
        return keras.Sequential([keras.Input(meta["input_shape"]), keras.layers.Dense(2)])

    with pytest.raises(
        ParameterError, match=r"Expected one output of shape \(None, 3\).*\(None, 2\)"
    ):
        KerasClassifier(wrong, epochs=1).fit(X, y)


def test_function_must_return_a_model(iris):
    X, y = iris
    with pytest.raises(ParameterError, match="must return a keras.Model"):
        KerasClassifier(lambda meta: "a model", epochs=1).fit(X, y)


def test_two_softmax_units_for_two_classes(iris):
    X, y = iris
    y2 = (y == 2).astype(int)

    def two(meta):
        return keras.Sequential(
            [keras.Input(meta["input_shape"]), keras.layers.Dense(2, activation="softmax")]
        )

    est = KerasClassifier(two, epochs=5, learning_rate=0.05, random_state=0).fit(X, y2)
    proba = est.predict_proba(X)
    assert proba.shape == (150, 2) and est.model_.loss == "sparse_categorical_crossentropy"
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert est.score(X, y2) > 0.8


# ------------------------------------------------------------------ compiling
def test_own_optimizer_is_kept_and_its_parameters_are_not_silently_dropped(iris):
    X, y = iris
    y2 = (y == 0).astype(int)
    est = KerasClassifier(own_optimizer, epochs=2, random_state=0).fit(X, y2)
    assert isinstance(est.model_.optimizer, keras.optimizers.SGD)
    rate = float(keras.ops.convert_to_numpy(est.model_.optimizer.learning_rate))
    assert rate == pytest.approx(0.123)
    with pytest.raises(ParameterError, match="its own optimizer.*learning_rate=0.01"):
        KerasClassifier(own_optimizer, learning_rate=0.01, epochs=1).fit(X, y2)


def test_loss_parameter_compiles_and_validates_with_that_loss(iris):
    X, y = iris
    y2 = (y == 0).astype(int)
    focal = keras.losses.BinaryFocalCrossentropy(gamma=2.0)
    est = KerasClassifier(
        mlp, loss=focal, epochs=3, early_stopping=True, random_state=0, validation_fraction=0.2
    ).fit(X, y2)
    assert est.model_.loss is not None and "focal" in type(est.model_.loss).__name__.lower()
    # the validation loss is the focal loss, not skdeep's cross-entropy
    from skdeep._training._split import inner_split

    _, val = inner_split(y2, 0.2, 0)
    p = est.predict_proba(X[val])[:, 1:]
    expected = float(keras.ops.convert_to_numpy(focal(y2[val].reshape(-1, 1).astype("float32"), p)))
    assert min(est.history_["val_loss"]) == pytest.approx(expected, rel=1e-4)
    with pytest.raises(ParameterError, match="loss applies to a network skdeep compiles"):
        KerasClassifier(own_optimizer, loss="mse", epochs=1).fit(X, y2)


def test_a_keras_model_instance_is_cloned_with_fresh_weights(iris):
    X, y = iris
    template = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    before = [w.copy() for w in template.get_weights()]
    a = KerasClassifier(template, epochs=2, random_state=0).fit(X, y)
    b = KerasClassifier(template, epochs=2, random_state=0).fit(X, y)
    c = KerasClassifier(template, epochs=2, random_state=1).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert not np.array_equal(a.predict_proba(X), c.predict_proba(X))
    assert a.model_ is not template
    for w, w0 in zip(template.get_weights(), before):
        np.testing.assert_array_equal(w, w0)  # the template itself never trains
    with pytest.raises(ParameterError, match="need a model function"):
        KerasClassifier(template, model__units=3).fit(X, y)


# ------------------------------------------------------------------ inputs of any rank
def test_sequences_train_and_are_checked_at_predict():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 6, 3)).astype("float32")
    y = (X[:, :, 0].mean(axis=1) > 0).astype(int)

    def gru(meta, units=8):
        return keras.Sequential(
            [
                keras.Input(meta["input_shape"]),
                keras.layers.GRU(units),
                keras.layers.Dense(1, activation="sigmoid"),
            ]
        )

    est = KerasClassifier(gru, epochs=3, random_state=0, early_stopping=True).fit(X, y)
    assert est.n_features_in_ == 6 and est.predict_proba(X).shape == (80, 2)
    with pytest.raises(DataError, match=r"Expected samples of shape \(6, 3\).*\(5, 6, 2\)"):
        est.predict(rng.normal(size=(5, 6, 2)))
    with pytest.raises(DataError, match="NaN"):
        est.predict(np.full((2, 6, 3), np.nan))


# ------------------------------------------------------------------ shared guarantees
def test_pickle_and_deepcopy_round_trip(iris):
    X, y = iris
    est = KerasClassifier(mlp, model__units=6, epochs=2, random_state=0).fit(X, y)
    for twin in (pickle.loads(pickle.dumps(est)), copy.deepcopy(est)):
        np.testing.assert_array_equal(twin.predict_proba(X), est.predict_proba(X))
        assert twin.get_params()["model__units"] == 6


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="TensorFlow graph count")
def test_repeated_fits_of_clones_reuse_one_compiled_model(iris):
    from tensorflow.python.eager import context

    X, y = iris
    est = KerasClassifier(mlp, model__units=5, epochs=1)
    for seed in range(2):
        clone(est).set_params(random_state=seed).fit(X, y).predict(X)
    gc.collect()  # graphs of earlier tests' objects that are only waiting for collection
    before = len(context.context().list_function_names())
    for seed in range(6):
        clone(est).set_params(random_state=seed, learning_rate=0.01 * (seed + 1)).fit(X, y).predict(
            X
        )
    gc.collect()
    assert len(context.context().list_function_names()) == before


def test_class_weight_and_sampler_apply_to_user_networks(iris):
    from imblearn.under_sampling import RandomUnderSampler

    X, y = iris
    y2 = (y == 0).astype(int)
    est = KerasClassifier(mlp, epochs=1, class_weight="balanced", random_state=0).fit(X, y2)
    assert est.class_weight_ == pytest.approx({0: 0.75, 1: 1.5})
    sampled = KerasClassifier(
        mlp, epochs=1, sampler=RandomUnderSampler(), early_stopping=True, random_state=0
    ).fit(X, y2)
    assert sampled.n_epochs_ == 1


def test_save_and_load_keep_the_network_not_the_code(iris, tmp_path):
    import skdeep

    X, y = iris
    est = KerasClassifier(mlp, model__units=6, epochs=2, warm_start=True, random_state=0)
    est.fit(X, y)
    loaded = skdeep.load(est.save(tmp_path / "mlp.skdeep"))
    np.testing.assert_array_equal(loaded.predict_proba(X), est.predict_proba(X))
    assert isinstance(loaded.model, keras.Model) and "model__units" not in loaded.get_params()
    report = skdeep.audit(tmp_path / "mlp.skdeep")
    assert report["class"] == "skdeep.KerasClassifier"
    loaded.fit(X, y)  # continues the trained network
    assert loaded.n_epochs_ == 4
    fresh = clone(loaded).fit(X, y)  # refit: the same architecture, fresh weights
    assert fresh.n_epochs_ == 2 and fresh.model_.layers[0].units == 6


def test_categorical_crossentropy_trains_on_one_hot_targets(iris):
    X, y = iris

    def softmax(meta):
        return keras.Sequential(
            [keras.Input(meta["input_shape"]), keras.layers.Dense(3, activation="softmax")]
        )

    for loss in ("categorical_crossentropy", keras.losses.CategoricalCrossentropy()):
        est = KerasClassifier(softmax, loss=loss, epochs=3, learning_rate=0.05, random_state=0)
        est.set_params(validation_fraction=0.2).fit(X, y)
        assert est.predict_proba(X).shape == (150, 3) and est.score(X, y) > 0.6
        assert np.isfinite(est.history_["val_loss"]).all()


def test_a_model_function_returning_no_model_is_named_once(iris):
    X, y = iris
    with pytest.raises(ParameterError) as error:
        KerasClassifier(lambda meta: "hello", epochs=1).fit(X, y)
    assert str(error.value).count("Received:") == 1


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("validation_split", "validation_fraction"),
        ("metrics", "scoring="),
        ("shuffle", "reshuffles"),
    ],
)
def test_scikeras_only_parameters_point_to_their_replacement(iris, name, hint):
    X, y = iris
    with pytest.raises(ParameterError, match=rf"{name} is a scikeras parameter.*{hint}"):
        KerasClassifier(mlp, epochs=1, **{name: 0.1}).fit(X, y)
