"""memory=: finished fits are stored; a rerun loads them instead of training (resumable)."""

import keras
import numpy as np
import pandas as pd
import pytest
from joblib import Memory
from sklearn.model_selection import GridSearchCV

from skdeep import ANNClassifier, ANNRegressor
from skdeep._training import _engines, _phases

GRID = {"units": [4, 8], "dropout": [0.0, 0.2]}


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = _phases.train

    def train(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(_phases, "train", train)
    return calls


def _files(folder):
    return sorted((folder / "skdeep-fits").glob("*.skdeep"))


def test_a_rerun_search_loads_every_fit_and_gives_the_same_results(binary_data, tmp_path, counted):
    X, y = binary_data
    est = ANNClassifier(epochs=3, n_layers=1, random_state=0, memory=str(tmp_path))
    first = GridSearchCV(est, GRID, cv=3).fit(X, y)
    assert len(counted) == 4 * 3 + 1 and len(_files(tmp_path)) == 13
    counted.clear()
    again = GridSearchCV(est, GRID, cv=3).fit(X, y)
    assert counted == []  # nothing trained
    for key in ("mean_test_score", "split0_test_score", "rank_test_score"):
        np.testing.assert_array_equal(first.cv_results_[key], again.cv_results_[key])
    np.testing.assert_array_equal(first.predict_proba(X), again.predict_proba(X))
    assert again.best_estimator_.history_ == first.best_estimator_.history_


def test_a_search_killed_half_way_resumes_with_the_unfinished_fits(
    binary_data, tmp_path, monkeypatch
):
    X, y = binary_data
    est = ANNClassifier(epochs=3, n_layers=1, random_state=0, memory=str(tmp_path))
    reference = GridSearchCV(ANNClassifier(epochs=3, n_layers=1, random_state=0), GRID, cv=3)
    reference.fit(X, y)
    calls, real = [], _phases.train

    def dies_at_the_seventh(*args, **kwargs):
        calls.append(1)
        if len(calls) == 7:
            raise KeyboardInterrupt  # Ctrl-C, or a killed job
        return real(*args, **kwargs)

    monkeypatch.setattr(_phases, "train", dies_at_the_seventh)
    with pytest.raises(KeyboardInterrupt):
        GridSearchCV(est, GRID, cv=3).fit(X, y)
    assert len(_files(tmp_path)) == 6
    calls.clear()
    monkeypatch.setattr(_phases, "train", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    resumed = GridSearchCV(est, GRID, cv=3).fit(X, y)
    assert len(calls) == 13 - 6  # only the unfinished fits (and the refit) train
    np.testing.assert_array_equal(
        resumed.cv_results_["mean_test_score"], reference.cv_results_["mean_test_score"]
    )


@pytest.mark.parametrize(
    "change",
    [
        {"units": 5},
        {"random_state": 1},
        {"optimizer": keras.optimizers.SGD(learning_rate=0.1)},
        "data",
        "labels",
    ],
    ids=["param", "seed", "optimizer", "data", "labels"],
)
def test_any_change_to_what_shapes_the_network_trains_again(binary_data, tmp_path, counted, change):
    X, y = binary_data
    params = dict(epochs=1, n_layers=1, units=4, random_state=0, memory=tmp_path)
    ANNClassifier(**params).fit(X, y)
    counted.clear()
    if change == "data":
        ANNClassifier(**params).fit(X + 1e-3, y)
    elif change == "labels":  # the same codes 0/1 for other labels: not the same fit
        fitted = ANNClassifier(**params).fit(X, np.where(y == 1, "yes", "no"))
        assert fitted.classes_.tolist() == ["no", "yes"]
    else:
        ANNClassifier(**{**params, **change}).fit(X, y)
    assert len(counted) == 1


def test_verbose_and_memory_itself_are_not_part_of_the_key(binary_data, tmp_path, counted):
    X, y = binary_data
    ANNClassifier(epochs=1, random_state=0, memory=tmp_path).fit(X, y)
    counted.clear()
    ANNClassifier(epochs=1, random_state=0, memory=Memory(tmp_path, verbose=0), verbose=0).fit(X, y)
    assert counted == []


@pytest.mark.parametrize(
    "params",
    [{"random_state": None}, {"random_state": np.random.RandomState(0)}],
    ids=["no-seed", "random-state-instance"],
)
def test_fits_that_cannot_repeat_are_not_stored(binary_data, tmp_path, params):
    X, y = binary_data
    ANNClassifier(epochs=1, memory=tmp_path, **params).fit(X, y)
    assert _files(tmp_path) == []


def test_continuing_fits_are_found_again_when_they_continue_the_same_network(
    binary_data, tmp_path, counted
):
    X, y = binary_data

    def three_fits():
        est = ANNClassifier(epochs=1, warm_start=True, random_state=0, memory=tmp_path)
        return est.fit(X, y).fit(X, y).partial_fit(X, y)

    first = three_fits()
    assert len(_files(tmp_path)) == 3 and len(counted) == 3 and first.n_epochs_ == 3
    counted.clear()
    again = three_fits()
    assert counted == [] and again.history_ == first.history_
    np.testing.assert_array_equal(again.predict_proba(X), first.predict_proba(X))
    # continuing another network (here: one more epoch first) is another fit
    other = ANNClassifier(epochs=2, warm_start=True, random_state=0, memory=tmp_path).fit(X, y)
    counted.clear()
    other.fit(X, y)
    assert len(counted) == 1


def test_memory_none_location_is_off(binary_data, tmp_path):
    X, y = binary_data
    ANNClassifier(epochs=1, random_state=0, memory=Memory(None)).fit(X, y)
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_stored_fit_is_trained_again_and_replaced(binary_data, tmp_path, counted):
    X, y = binary_data
    est = ANNClassifier(epochs=1, random_state=0, memory=tmp_path).fit(X, y)
    (path,) = _files(tmp_path)
    path.write_bytes(path.read_bytes()[:100])  # truncated
    counted.clear()
    again = ANNClassifier(epochs=1, random_state=0, memory=tmp_path).fit(X, y)
    assert len(counted) == 1
    np.testing.assert_array_equal(again.predict_proba(X), est.predict_proba(X))
    counted.clear()
    ANNClassifier(epochs=1, random_state=0, memory=tmp_path).fit(X, y)
    assert counted == []  # the replaced file loads


def test_an_unwritable_memory_warns_and_the_fit_succeeds(binary_data, tmp_path):
    X, y = binary_data
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.warns(UserWarning, match="could not be stored"):
        est = ANNClassifier(epochs=1, random_state=0, memory=blocker).fit(X, y)
    assert est.predict(X).shape == (len(X),)


def test_loaded_fits_reuse_pooled_networks(binary_data, tmp_path, monkeypatch):
    X, y = binary_data
    params = dict(epochs=1, n_layers=1, units=4, memory=tmp_path)
    for seed in range(3):
        ANNClassifier(random_state=seed, **params).fit(X, y).predict(X)
    monkeypatch.setattr(_engines, "POOL", _engines.EnginePool())  # empty
    ANNClassifier(random_state=0, **params).fit(X, y)  # compiles one engine
    for seed in range(3):
        loaded = ANNClassifier(random_state=seed, **params).fit(X, y)
        loaded.predict(X)
        del loaded
    assert len(_engines.POOL) == 1


def test_regressors_and_callbacks(binary_data, tmp_path, counted):
    X, y = binary_data
    logger = keras.callbacks.CSVLogger(str(tmp_path / "logs" / "{fit}.csv"))
    params = dict(epochs=2, random_state=0, memory=tmp_path / "fits", callbacks=[logger])
    first = ANNRegressor(**params).fit(X, y.astype(float))
    counted.clear()
    second = ANNRegressor(**params).fit(X, y.astype(float))
    assert counted == [] and len(list((tmp_path / "logs").iterdir())) == 1  # no log for a load
    np.testing.assert_array_equal(first.predict(X), second.predict(X))
    np.testing.assert_array_equal(first.target_mean_, second.target_mean_)


def test_epoch_halving_and_studies_resume_too(binary_data, tmp_path, counted):
    from skdeep.evaluation import cross_validate_study
    from skdeep.model_selection import EpochHalvingSearchCV

    X, y = binary_data
    est = ANNClassifier(n_layers=1, units=4, random_state=0, memory=tmp_path)
    search = EpochHalvingSearchCV(
        est, {"units": [4, 8, 16]}, min_epochs=1, max_epochs=3, factor=3, cv=2
    )
    first = search.fit(X, y).cv_results_["mean_test_score"]
    study = cross_validate_study(est.set_params(epochs=2), X, y, cv=3, random_state=0)
    counted.clear()
    again = search.fit(X, y).cv_results_["mean_test_score"]
    restudy = cross_validate_study(est, X, y, cv=3, random_state=0)
    assert counted == []
    np.testing.assert_array_equal(again, first)
    timing = [c for c in study.folds.columns if c.endswith("_time")]
    assert restudy.folds.drop(columns=timing).equals(study.folds.drop(columns=timing))


def test_string_labels_in_new_objects_find_the_stored_fit(binary_data, tmp_path, counted):
    X, y = binary_data  # object labels hash by value, not by the address of each string

    def labels():
        return pd.Series(["".join(["ye", "s"]) if v else "".join(["n", "o"]) for v in y])

    ANNClassifier(epochs=1, random_state=0, memory=tmp_path).fit(X, labels())
    counted.clear()
    again = ANNClassifier(epochs=1, random_state=0, memory=tmp_path).fit(X, labels())
    assert counted == [] and again.classes_.tolist() == ["no", "yes"]


def test_frames_are_keyed_by_every_value_not_their_printout(binary_data, tmp_path, counted):
    X, y = binary_data
    frame = pd.DataFrame(np.vstack([X] * 3), columns=[f"f{i}" for i in range(X.shape[1])])
    y3 = np.concatenate([y] * 3)
    ANNClassifier(epochs=1, random_state=0, memory=tmp_path).fit(frame, y3)
    counted.clear()
    ANNClassifier(epochs=1, random_state=0, memory=tmp_path).fit(frame.copy(), y3)
    assert counted == []
    changed = frame.copy()
    changed.iloc[len(frame) // 2, 0] += 1.0  # a row no printout shows
    assert repr(changed) == repr(frame)
    ANNClassifier(epochs=1, random_state=0, memory=tmp_path).fit(changed, y3)
    renamed = frame.rename(columns={"f0": "other"})
    ANNClassifier(epochs=1, random_state=0, memory=tmp_path).fit(renamed, y3)
    assert len(counted) == 2


def test_keras_objects_as_parameters_are_keyed_by_their_config(binary_data, tmp_path, counted):
    X, y = binary_data

    def fit(rate):
        schedule = keras.optimizers.schedules.ExponentialDecay(1e-2, 10, rate)
        opt = keras.optimizers.SGD(learning_rate=schedule)
        return ANNClassifier(epochs=1, optimizer=opt, random_state=0, memory=tmp_path)

    fit(0.5).fit(X, y)
    counted.clear()
    fit(0.5).fit(X, y)  # a new instance with the same config
    assert counted == []
    fit(0.9).fit(X, y)
    assert len(counted) == 1


def test_callbacks_that_change_training_are_part_of_the_key(binary_data, tmp_path, counted):
    X, y = binary_data

    def fit(*callbacks):
        est = ANNClassifier(epochs=2, random_state=0, memory=tmp_path, callbacks=list(callbacks))
        return est.fit(X, y)

    fit()
    fit(keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1))
    fit(keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.1, patience=1))
    assert len(counted) == 3
    counted.clear()
    fit(keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1))
    fit(keras.callbacks.CSVLogger(str(tmp_path / "log.csv")))  # records only: the first fit
    assert counted == []


def test_model_functions_are_keyed_by_code_closure_and_defaults(binary_data, tmp_path, counted):
    from skdeep import KerasClassifier

    X, y = binary_data

    def network_of(width):
        def build(meta, depth=1):
            inputs = keras.Input((meta["n_features_in_"],))
            hidden = inputs
            for _ in range(depth):
                hidden = keras.layers.Dense(width, activation="relu")(hidden)
            outputs = keras.layers.Dense(1, activation="sigmoid")(hidden)
            return keras.Model(inputs, outputs)

        return build

    def fit(width, **params):
        est = KerasClassifier(network_of(width), epochs=1, random_state=0, memory=tmp_path)
        return est.set_params(**params).fit(X, y)

    fit(4)
    fit(8)  # the same code, another width in its closure
    fit(4, model__depth=2)
    assert len(counted) == 3
    counted.clear()
    fit(4)
    fit(8)
    assert counted == []
