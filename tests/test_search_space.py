"""Default search spaces: names, types per search kind, Pipeline prefixes, every driver."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import ParameterGrid, RandomizedSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import ANNClassifier
from skdeep.exceptions import ParameterError
from skdeep.model_selection import search_space

skopt_space = pytest.importorskip("skopt.space")

ANN_SMALL = {"n_layers", "units", "dropout", "learning_rate"}
ANN_LARGE = ANN_SMALL | {"units_decay", "activation", "l2", "batch_norm", "batch_size"}
CNN_NAMES = {
    "n_blocks",
    "filters",
    "kernel_size",
    "pooling",
    "dense_units",
    "activation",
    "dropout",
    "l2",
    "batch_norm",
    "rotation",
    "zoom",
    "translation",
    "learning_rate",
    "batch_size",
}


def _optional(name):
    import skdeep

    cls = getattr(skdeep, name, None)
    if cls is None:
        pytest.skip(f"skdeep.{name} is not available in this build")
    return cls


def _assert_valid_settings(estimator, space, kind, n_draws=8, max_points=None):
    """Every grid point / drawn sample passes the estimator's own parameter validation
    (``max_points``: a seeded sample of that many grid points, each value of every
    parameter among them)."""
    rng = np.random.RandomState(0)
    if kind == "grid":
        points = list(ParameterGrid(space))
        if max_points is not None and len(points) > max_points:
            keep = rng.choice(len(points), max_points, replace=False)
            points = [points[i] for i in sorted(keep)]
            for name, values in space.items():  # every value still validated
                assert {repr(p[name]) for p in points} == {repr(v) for v in values}
    else:
        points = []
        for _ in range(n_draws):
            point = {}
            for name, value in space.items():
                if kind == "bayes":
                    drawn = value.rvs(n_samples=1, random_state=rng)
                    drawn = drawn[0] if isinstance(drawn, (list, np.ndarray)) else drawn
                    point[name] = np.asarray(drawn).item()
                elif isinstance(value, list):
                    point[name] = value[rng.randint(len(value))]
                else:
                    point[name] = value.rvs(random_state=rng)
            points.append(point)
    for point in points:
        est = estimator.set_params(**point)
        est._validate_params()
        if hasattr(est, "_check_params"):
            est._check_params()


@pytest.mark.parametrize("size, names", [("small", ANN_SMALL), ("large", ANN_LARGE)])
def test_ann_space_names_for_every_kind(size, names):
    for kind in ("grid", "random", "bayes"):
        assert set(search_space(ANNClassifier(), kind, size=size)) == names


def test_small_grid_has_sixteen_points():
    assert len(ParameterGrid(search_space(ANNClassifier, "grid"))) == 16


def test_grid_values_are_flat_scalars():
    for values in search_space(ANNClassifier, "grid", size="large").values():
        assert isinstance(values, list) and len(values) >= 2
        assert all(isinstance(v, (bool, int, float, str)) for v in values)


def test_random_kind_gives_scipy_distributions_log_scale_for_rates():
    space = search_space(ANNClassifier, "random", size="large")
    assert space["learning_rate"].dist.name == "loguniform"
    assert space["l2"].dist.name == "loguniform"
    assert space["dropout"].dist.name == "uniform"
    assert space["n_layers"].dist.name == "randint"
    assert space["units"] == [16, 32, 64, 128, 256]  # powers of two: a log-uniform choice
    low, high = space["learning_rate"].support()
    assert (low, high) == pytest.approx((1e-4, 3e-2))


def test_bayes_kind_gives_skopt_dimensions_with_right_types():
    space = search_space(ANNClassifier, "bayes", size="large")
    assert all(isinstance(d, skopt_space.Dimension) for d in space.values())
    assert isinstance(space["n_layers"], skopt_space.Integer)
    assert isinstance(space["units"], skopt_space.Integer)
    assert space["units"].prior == "log-uniform"
    assert isinstance(space["learning_rate"], skopt_space.Real)
    assert space["learning_rate"].prior == "log-uniform"
    assert space["l2"].prior == "log-uniform"
    assert space["dropout"].prior == "uniform"
    assert isinstance(space["activation"], skopt_space.Categorical)
    assert list(space["batch_norm"].categories) == [False, True]


@pytest.mark.parametrize("kind", ["grid", "random", "bayes"])
@pytest.mark.parametrize("size", ["small", "large"])
def test_ann_space_values_pass_parameter_validation(kind, size):
    _assert_valid_settings(ANNClassifier(), search_space(ANNClassifier, kind, size=size), kind)


def test_class_and_instance_give_the_same_space():
    assert search_space(ANNClassifier, "grid") == search_space(ANNClassifier(units=3), "grid")


def test_subclass_inherits_the_family_space():
    class MyANN(ANNClassifier):
        pass

    assert search_space(MyANN, "grid") == search_space(ANNClassifier, "grid")


def test_pipeline_prefix_is_found_automatically():
    pipe = make_pipeline(StandardScaler(), ANNClassifier())
    space = search_space(pipe, "random")
    assert set(space) == {f"annclassifier__{n}" for n in ANN_SMALL}
    pipe.set_params(**{k: v[0] for k, v in search_space(pipe, "grid").items()})


def test_nested_pipeline_prefix():
    inner = Pipeline([("scale", StandardScaler()), ("net", ANNClassifier())])
    outer = Pipeline([("prep", StandardScaler()), ("model", inner)])
    space = search_space(outer, "grid")
    assert "model__net__units" in space
    outer.set_params(**{k: v[0] for k, v in space.items()})


@pytest.mark.parametrize(
    "prefix, expected", [("clf", "clf__units"), ("clf__", "clf__units"), ("", "units")]
)
def test_prefix_argument_overrides(prefix, expected):
    pipe = make_pipeline(StandardScaler(), ANNClassifier())
    assert expected in search_space(pipe, "grid", prefix=prefix)


def test_unknown_estimator_is_named_in_the_error():
    with pytest.raises(ParameterError, match=r"No default search space for LogisticRegression"):
        search_space(make_pipeline(StandardScaler(), LogisticRegression()))


def test_bad_kind_size_and_prefix():
    with pytest.raises(ParameterError, match=r"Unknown search kind.*Received: kind='optuna'"):
        search_space(ANNClassifier, "optuna")
    with pytest.raises(ParameterError, match=r"Unknown search-space size.*Received: size='huge'"):
        search_space(ANNClassifier, size="huge")
    with pytest.raises(ParameterError, match=r"prefix must be a string"):
        search_space(ANNClassifier, prefix=3)


def test_pipeline_ending_in_passthrough():
    pipe = Pipeline([("scale", StandardScaler()), ("last", "passthrough")])
    with pytest.raises(ParameterError, match=r"last step of the Pipeline is not an estimator"):
        search_space(pipe)


@pytest.mark.parametrize("kind", ["grid", "random", "bayes"])
def test_cnn_space_uses_design_names_and_valid_values(kind):
    cnn = _optional("CNNClassifier")
    space = search_space(cnn, kind, size="large")
    assert set(space) == CNN_NAMES
    _assert_valid_settings(cnn(), space, kind)


@pytest.mark.parametrize("kind", ["grid", "random", "bayes"])
def test_transfer_space_values_are_valid(kind):
    transfer = _optional("TransferClassifier")
    _assert_valid_settings(transfer(), search_space(transfer, kind, size="large"), kind)


# ---------------------------------------------------------------- real searches (small)
def _pipe():
    return make_pipeline(StandardScaler(), ANNClassifier(epochs=1, batch_size=16, random_state=0))


def test_randomized_search_on_default_space(binary_data):
    X, y = binary_data
    pipe = _pipe()
    search = RandomizedSearchCV(
        pipe, search_space(pipe, "random"), n_iter=1, cv=StratifiedKFold(2), random_state=0
    )
    search.fit(X[:80], y[:80])
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


@pytest.mark.parametrize("size", ["small", "large"])
def test_bayes_search_on_every_default_space(binary_data, size):
    from skopt import BayesSearchCV

    X, y = binary_data
    pipe = _pipe()
    search = BayesSearchCV(
        pipe,
        search_space(pipe, "bayes", size=size),
        n_iter=2,
        cv=StratifiedKFold(2),
        random_state=0,
    )
    search.fit(X[:80], y[:80])
    assert len(search.cv_results_["params"]) == 2
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert set(search.best_params_) == set(search_space(pipe, "bayes", size=size))


@pytest.fixture(scope="module")
def tiny_images():
    from sklearn.datasets import load_digits

    X, y = load_digits(n_class=2, return_X_y=True)
    return (X[:60] / 16.0).astype("float32"), y[:60]


@pytest.mark.parametrize("size", ["small", "large"])
def test_bayes_search_on_every_cnn_space(tiny_images, size):
    from skopt import BayesSearchCV

    cnn = _optional("CNNClassifier")
    X, y = tiny_images
    model = cnn(image_shape=(8, 8, 1), epochs=1, batch_size=16, random_state=0)
    search = BayesSearchCV(
        model, search_space(model, "bayes", size=size), n_iter=1, cv=StratifiedKFold(2),
        random_state=0,
    )  # fmt: skip
    search.fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


# ---------------------------------------------------------------- regressors
@pytest.mark.parametrize("kind", ["grid", "random", "bayes"])
@pytest.mark.parametrize("size", ["small", "large"])
def test_regressor_spaces_are_their_classifiers_plus_the_loss(kind, size):
    from skdeep import ANNRegressor, CNNClassifier, CNNRegressor

    for regressor, classifier in ((ANNRegressor, ANNClassifier), (CNNRegressor, CNNClassifier)):
        space = search_space(regressor, kind, size=size)
        extra = {"loss"} if size == "large" else set()
        assert set(space) == set(search_space(classifier, kind, size=size)) | extra
        # the classifier's whole grid is validated by the tests above; here its product with
        # the losses, sampled
        _assert_valid_settings(regressor(), space, kind, max_points=300)
    assert search_space(ANNRegressor, "random", size="large")["loss"] == [
        "mse", "huber", "log_cosh", "mae",
    ]  # fmt: skip


def test_randomized_search_of_a_regressor_pipeline():
    from sklearn.datasets import make_regression
    from sklearn.model_selection import KFold

    from skdeep import ANNRegressor

    X, y = make_regression(n_samples=60, n_features=4, noise=5.0, random_state=0)
    pipe = make_pipeline(StandardScaler(), ANNRegressor(epochs=1, batch_size=16, random_state=0))
    space = search_space(pipe, "random", size="large")
    assert "annregressor__loss" in space
    search = RandomizedSearchCV(pipe, space, n_iter=2, cv=KFold(2), random_state=0).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
