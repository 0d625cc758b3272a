"""est.save / skdeep.load: round trips, safety, and clear failures."""

import keras
import numpy as np
import pandas as pd
import pytest
from _saved_files import rewrite, set_param
from _transfer_weights import small_base_registered

import skdeep
from skdeep import ANNClassifier
from skdeep.exceptions import DataError, NotFittedError, ParameterError


@pytest.fixture
def fitted(multiclass_data):
    X, y = multiclass_data
    labels = np.array(["ant", "bee", "cat"])[y]
    df = pd.DataFrame(X, columns=[f"c{i}" for i in range(X.shape[1])])
    est = ANNClassifier(
        epochs=2,
        dropout=0.2,
        early_stopping=True,
        class_weight="balanced",
        optimizer=keras.optimizers.SGD(momentum=0.5),
        random_state=0,
    ).fit(df, labels)
    return est, df, labels


def test_round_trip_identical_predictions(fitted, tmp_path):
    est, df, _ = fitted
    path = est.save(tmp_path / "model.skdeep")
    loaded = skdeep.load(path)
    assert type(loaded) is ANNClassifier
    np.testing.assert_array_equal(loaded.predict_proba(df), est.predict_proba(df))
    np.testing.assert_array_equal(loaded.predict(df), est.predict(df))
    assert loaded.classes_.dtype == est.classes_.dtype
    for attr in ("history_", "n_epochs_", "best_epoch_", "class_weight_", "n_features_in_"):
        assert getattr(loaded, attr) == getattr(est, attr)
    assert loaded.feature_names_in_.tolist() == est.feature_names_in_.tolist()
    params, saved = loaded.get_params(), est.get_params()
    assert isinstance(params.pop("optimizer"), keras.optimizers.SGD)
    saved.pop("optimizer")
    assert params == saved
    assert ANNClassifier.load(path).predict(df).tolist() == est.predict(df).tolist()


def test_loaded_estimator_keeps_training(fitted, tmp_path):
    est, df, labels = fitted
    loaded = skdeep.load(est.save(tmp_path / "m.skdeep"))
    loaded.set_params(warm_start=True, epochs=1).fit(df, labels)
    assert loaded.n_epochs_ == est.n_epochs_ + 1


def test_sampler_parameter_round_trips(binary_data, tmp_path):
    from imblearn.under_sampling import RandomUnderSampler

    X, y = binary_data
    est = ANNClassifier(epochs=1, sampler=RandomUnderSampler(random_state=3)).fit(X, y)
    loaded = skdeep.load(est.save(tmp_path / "m.skdeep"))
    assert isinstance(loaded.sampler, RandomUnderSampler)
    assert loaded.sampler.random_state == 3


def test_nested_samplers_and_strategy_dicts_round_trip(binary_data, tmp_path):
    from imblearn.combine import SMOTEENN
    from imblearn.over_sampling import SMOTE

    X, y = binary_data
    sampler = SMOTEENN(smote=SMOTE(k_neighbors=3, sampling_strategy={0: 120, 1: 120}))
    est = ANNClassifier(epochs=1, sampler=sampler, class_weight={0: 1.0, 1: 3.0}).fit(X, y)
    loaded = skdeep.load(est.save(tmp_path / "m.skdeep"))
    assert isinstance(loaded.sampler.smote, SMOTE)
    assert loaded.sampler.smote.k_neighbors == 3
    assert loaded.sampler.smote.sampling_strategy == {0: 120, 1: 120}
    assert loaded.class_weight == {0: 1.0, 1: 3.0}


def test_values_loading_could_not_rebuild_safely_are_refused_at_save(binary_data, tmp_path):
    from imblearn import FunctionSampler
    from imblearn.over_sampling import SMOTE
    from sklearn.neighbors import NearestNeighbors

    X, y = binary_data
    est = ANNClassifier(epochs=1).fit(X, y)
    for sampler, message in [
        (SMOTE(k_neighbors=NearestNeighbors(n_neighbors=3)), "sampler.k_neighbors cannot be saved"),
        (FunctionSampler(), "only imbalanced-learn's own samplers"),
    ]:
        est.sampler = sampler
        with pytest.raises(ParameterError, match=message):
            est.save(tmp_path / "m.skdeep")
    assert not (tmp_path / "m.skdeep").exists()


def test_loading_as_another_estimator_class_fails_clearly(binary_data, tmp_path):
    X, y = binary_data
    path = ANNClassifier(epochs=1).fit(X, y).save(tmp_path / "m.skdeep")

    class OtherClassifier(ANNClassifier):
        pass

    with pytest.raises(DataError, match="Expected a OtherClassifier. Received: a saved ANN"):
        OtherClassifier.load(path)
    rewrite(path, edit_meta=lambda m: {**m, "class": "os.system"})
    with pytest.raises(DataError, match="Unknown estimator class.*os.system"):
        skdeep.load(path)


def test_model_with_code_is_refused(binary_data, tmp_path):
    X, y = binary_data
    path = ANNClassifier(epochs=1).fit(X, y).save(tmp_path / "m.skdeep")
    inputs = keras.Input((X.shape[1],))
    evil = keras.Model(inputs, keras.layers.Lambda(lambda t: t * 2)(inputs))
    evil.save(tmp_path / "evil.keras")
    rewrite(path, model=(tmp_path / "evil.keras").read_bytes())
    with pytest.raises(DataError, match="model.keras holds Python bytecode"):
        skdeep.load(path)


def test_sampler_from_outside_imblearn_is_refused(binary_data, tmp_path):
    X, y = binary_data
    path = ANNClassifier(epochs=1).fit(X, y).save(tmp_path / "m.skdeep")
    rewrite(path, edit_meta=set_param("sampler", {"__sampler__": "subprocess:Popen", "params": {}}))
    with pytest.raises(DataError, match="not an allowed sampler class.*subprocess:Popen"):
        skdeep.load(path)


def test_bad_files_and_unfitted(tmp_path):
    with pytest.raises(FileNotFoundError):
        skdeep.load(tmp_path / "missing.skdeep")
    junk = tmp_path / "junk.skdeep"
    junk.write_text("not a zip")
    with pytest.raises(DataError, match="not a zip file"):
        skdeep.load(junk)
    with pytest.raises(NotFittedError):
        ANNClassifier().save(tmp_path / "x.skdeep")


def _image_estimators():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (24, 8, 8), dtype=np.uint8)
    labels = np.repeat(["a", "b"], 12)
    yield (
        skdeep.CNNClassifier(
            epochs=1, n_blocks=1, filters=4, dense_units=8, rotation=0.1, random_state=0
        ),
        images,
        labels,
    )
    yield (
        skdeep.TransferClassifier(
            base="small",  # five convolutions (tests/_transfer_weights.py)
            weights=None,
            input_size=32,
            epochs=1,
            fine_tune_epochs=1,
            trainable_layers=2,
            dense_units=8,
            random_state=0,
        ),
        images,
        labels,
    )


@pytest.mark.parametrize("est, X, y", list(_image_estimators()), ids=["cnn", "transfer"])
def test_image_estimators_round_trip(est, X, y, tmp_path):
    with small_base_registered(weights=None):
        _image_estimator_round_trip(est, X, y, tmp_path)


def _image_estimator_round_trip(est, X, y, tmp_path):
    est.fit(X, y)
    path = est.save(tmp_path / "m.skdeep")
    loaded = skdeep.load(path)
    assert type(loaded) is type(est)
    assert loaded.image_shape_ == est.image_shape_
    np.testing.assert_allclose(loaded.predict_proba(X), est.predict_proba(X), atol=1e-6)
    with pytest.raises(DataError, match="different estimator"):
        ANNClassifier.load(path)
    # a loaded estimator keeps training (TransferClassifier needs its n_fine_tune_epochs_)
    loaded.set_params(warm_start=True, epochs=1).fit(X, y)
    fine_tuning = getattr(est, "fine_tune_epochs", 0)  # one more epoch of each phase
    assert loaded.n_epochs_ == est.n_epochs_ + 1 + fine_tuning


def test_a_fitted_attribute_the_format_does_not_know_is_refused_at_save(binary_data, tmp_path):
    X, y = binary_data
    est = ANNClassifier(epochs=1).fit(X, y)
    est.calibration_ = 0.5  # e.g. added by a later skdeep without updating the saved format
    with pytest.raises(ParameterError, match=r"does not list.*\['calibration_'\]"):
        est.save(tmp_path / "m.skdeep")
    assert not (tmp_path / "m.skdeep").exists()
