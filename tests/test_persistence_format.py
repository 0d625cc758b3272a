"""The file format: version 2 written, version 1 (skdeep 0.1) still read and predicting as it
did, newer versions refused clearly."""

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _saved_files import members, rewrite

import skdeep
from skdeep._persistence import FORMAT_VERSION, audit

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def expected():
    return np.load(DATA / "v1_expected.npz", allow_pickle=False)


def test_version_1_files_load_and_predict_as_skdeep_0_1_did(expected, tmp_path):
    ann = skdeep.load(DATA / "ann_v1.skdeep")
    X = pd.DataFrame(expected["ann_X"], columns=["a", "b", "c", "d"])
    np.testing.assert_allclose(ann.predict_proba(X), expected["ann_proba"], rtol=1e-6)
    assert ann.predict(X).tolist() == expected["ann_pred"].tolist()
    assert ann.classes_.tolist() == ["no", "yes"]
    assert ann.feature_names_in_.tolist() == ["a", "b", "c", "d"]
    assert ann.class_weight == {"no": 1.0, "yes": 2.0}
    assert type(ann.sampler).__name__ == "RandomUnderSampler" and ann.sampler.random_state == 1
    assert type(ann.optimizer).__name__ == "SGD"
    cnn = skdeep.CNNClassifier.load(DATA / "cnn_v1.skdeep")
    np.testing.assert_allclose(
        cnn.predict_proba(expected["cnn_X"]), expected["cnn_proba"], rtol=1e-6
    )
    assert cnn.predict(expected["cnn_X"]).tolist() == expected["cnn_pred"].tolist()
    assert cnn.image_shape_ == (6, 6, 1)
    # a loaded version-1 estimator keeps training, and is saved again as the current version
    ann.set_params(warm_start=True, epochs=1).fit(X, expected["ann_pred"])
    assert ann.n_epochs_ == 4
    assert audit(ann.save(tmp_path / "again.skdeep"))["format_version"] == FORMAT_VERSION


def test_version_1_files_are_checked_like_any_other(tmp_path):
    report = audit(DATA / "ann_v1.skdeep")
    assert report["format_version"] == 1
    assert [f["verified"] for f in report["files"].values()] == [False, False]  # no hashes
    path = shutil.copy(DATA / "ann_v1.skdeep", tmp_path / "v1.skdeep")

    def reverse(meta):
        meta["fitted"]["classes_"]["__ndarray__"].reverse()
        return meta

    rewrite(path, edit_meta=reverse)
    with pytest.raises(skdeep.exceptions.DataError, match="classes_ is not sorted"):
        skdeep.load(path)


def test_the_current_format_has_a_manifest_with_hashes(binary_data, tmp_path):
    X, y = binary_data
    path = skdeep.ANNClassifier(epochs=1).fit(X, y).save(tmp_path / "m.skdeep")
    content = members(path)
    assert list(content) == ["manifest.json", "estimator.json", "model.keras"]
    manifest = json.loads(content["manifest.json"])
    assert manifest["format_version"] == FORMAT_VERSION == 2
    assert manifest["files"]["model.keras"]["size"] == len(content["model.keras"])
    assert json.loads(content["estimator.json"])["params"]["epochs"] == 1


def test_files_of_a_newer_format_are_refused_clearly(binary_data, tmp_path):
    X, y = binary_data
    path = skdeep.ANNClassifier(epochs=1).fit(X, y).save(tmp_path / "m.skdeep")
    rewrite(path, edit_meta=lambda m: {**m, "format_version": 3})
    with pytest.raises(skdeep.exceptions.DataError, match="newer skdeep.*format_version=3"):
        skdeep.load(path)
