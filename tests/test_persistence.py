"""est.save / skdeep.load: round trips, safety, and clear failures."""

import json
import zipfile

import keras
import numpy as np
import pandas as pd
import pytest

import skdeep
from skdeep import ANNClassifier
from skdeep.exceptions import DataError, NotFittedError


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


def _rewrite(path, *, meta=None, model_file=None):
    with zipfile.ZipFile(path) as archive:
        original = json.loads(archive.read("estimator.json"))
        model_bytes = archive.read("model.keras")
    if model_file is not None:
        model_bytes = model_file.read_bytes()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("estimator.json", json.dumps(meta(original) if meta else original))
        archive.writestr("model.keras", model_bytes)


def test_loading_as_another_estimator_class_fails_clearly(binary_data, tmp_path):
    X, y = binary_data
    path = ANNClassifier(epochs=1).fit(X, y).save(tmp_path / "m.skdeep")

    class OtherClassifier(ANNClassifier):
        pass

    with pytest.raises(DataError, match="Expected a OtherClassifier. Received: a saved ANN"):
        OtherClassifier.load(path)
    _rewrite(path, meta=lambda m: {**m, "class": "os.system"})
    with pytest.raises(DataError, match="Unknown estimator class.*os.system"):
        skdeep.load(path)


def test_model_with_code_is_refused_by_safe_mode(binary_data, tmp_path):
    X, y = binary_data
    path = ANNClassifier(epochs=1).fit(X, y).save(tmp_path / "m.skdeep")
    inputs = keras.Input((X.shape[1],))
    evil = keras.Model(inputs, keras.layers.Lambda(lambda t: t * 2)(inputs))
    evil.save(tmp_path / "evil.keras")
    _rewrite(path, model_file=tmp_path / "evil.keras")
    with pytest.raises(ValueError, match="safe_mode"):
        skdeep.load(path)


def test_sampler_from_outside_imblearn_is_refused(binary_data, tmp_path):
    X, y = binary_data
    path = ANNClassifier(epochs=1).fit(X, y).save(tmp_path / "m.skdeep")

    def inject(meta):
        meta["params"]["__dict__"] = [
            [k, {"__sampler__": "subprocess:Popen", "params": {}} if k == "sampler" else v]
            for k, v in meta["params"]["__dict__"]
        ]
        return meta

    _rewrite(path, meta=inject)
    with pytest.raises(DataError, match="subprocess:Popen"):
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
    est.fit(X, y)
    path = est.save(tmp_path / "m.skdeep")
    loaded = skdeep.load(path)
    assert type(loaded) is type(est)
    assert loaded.image_shape_ == est.image_shape_
    np.testing.assert_allclose(loaded.predict_proba(X), est.predict_proba(X), atol=1e-6)
    with pytest.raises(DataError, match="different estimator"):
        ANNClassifier.load(path)
