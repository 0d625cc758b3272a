"""The command layer shared by ``skdeep tune`` and ``skdeep study`` (no training here)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

from skdeep._commands import _common, _data
from skdeep._commands._space import space_from_table
from skdeep.exceptions import DataError, DatasetNotFoundError, ParameterError


@pytest.mark.parametrize(
    "text, value",
    [
        ("true", True),
        ("True", True),
        ("false", False),
        ("False", False),
        ("none", None),
        ("None", None),
        ("null", None),
        ("3", 3),
        ("-2", -2),
        ("1e-3", 0.001),
        ("0.25", 0.25),
        ("1_000", 1000),
        ('"relu"', "relu"),
        ("'relu'", "relu"),
        ("relu", "relu"),
        ("horizontal_and_vertical", "horizontal_and_vertical"),
        ("[28, 28, 1]", (28, 28, 1)),
        ("(28, 28, 1)", (28, 28, 1)),
        (" 64 ", 64),
    ],
)
def test_param_values_in_toml_and_python_spelling(text, value):
    parsed = _common.parse_value(text)
    assert parsed == value and type(parsed) is type(value)


def test_params_from_flags_and_from_a_table():
    assert _common.parse_params(["units=32", "early_stopping=True", "lr = 1e-3"]) == {
        "units": 32,
        "early_stopping": True,
        "lr": 0.001,
    }
    assert _common.parse_params({"image_shape": [8, 8, 1]}) == {"image_shape": (8, 8, 1)}
    with pytest.raises(ParameterError, match=r"--param takes NAME=VALUE.*Received: --param =3"):
        _common.parse_params(["=3"])


def test_config_paths_are_relative_to_the_config_file(tmp_path, monkeypatch):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "run.toml").write_text(
        'dataset = "data/train.csv"\nout = "results"\nn-jobs = 2\n[param]\nunits = 8\n'
    )
    monkeypatch.chdir(tmp_path)  # elsewhere: the file's folder counts, not the working one
    known = ["data", "out", "n_jobs", "params"]
    settings = _common.load_settings(
        "project/run.toml", known, aliases={"dataset": "data", "param": "params"}
    )
    assert settings == {
        "data": str(folder.resolve() / "data" / "train.csv"),
        "out": str(folder.resolve() / "results"),
        "n_jobs": 2,
        "params": {"units": 8},
    }
    (folder / "bundled.toml").write_text('data = "iris"\n')
    assert _common.load_settings(folder / "bundled.toml", known)["data"] == "iris"


def test_flags_win_over_the_config_file_which_wins_over_defaults():
    merged = _common.merge_settings({"cv": 5, "seed": 0, "out": None}, {"cv": 3}, {"cv": None})
    assert merged == {"cv": 3, "seed": 0, "out": None}
    assert _common.merge_settings({"cv": 5}, {"cv": 3}, {"cv": 2}) == {"cv": 2}


def test_parameter_names_are_checked_without_keras():
    _common.check_param_names("ann", {"units": 3, "early_stopping": True})
    with pytest.raises(ParameterError, match=r"Unknown ANNClassifier parameter.*--param unitz"):
        _common.check_param_names("ann", {"unitz": 3})
    with pytest.raises(ParameterError, match="Unknown model family"):
        _common.check_param_names("svm", {})


def test_parameter_values_are_checked_against_the_constraints():
    est = _common.make_estimator("ann", {"units": 8, "early_stopping": True}, seed=4)
    assert (est.units, est.early_stopping, est.random_state) == (8, True, 4)
    with pytest.raises(ParameterError, match=r"parameter dropout\. Expected a float in the range"):
        _common.make_estimator("ann", {"dropout": 2.0})
    with pytest.raises(ParameterError, match=r"early_stopping.*Received: early_stopping='yes'"):
        _common.make_estimator("ann", {"early_stopping": "yes"})


def test_output_folder_is_checked_without_being_created(tmp_path):
    target = tmp_path / "a" / "b"
    assert _common.check_out(target) == target and not (tmp_path / "a").exists()
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    with pytest.raises(ParameterError, match="is an existing file"):
        _common.check_out(afile)
    with pytest.raises(ParameterError, match="cannot be created: .*file.txt is a file"):
        _common.check_out(afile / "sub")


def test_unwritable_output_folder(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(_common.tempfile, "mkstemp", refuse)
    with pytest.raises(ParameterError, match=r"not writable \(Permission denied\)"):
        _common.check_out(tmp_path / "out")


def test_one_positive_label_rule():
    y = np.array(["no", "yes", "no"])
    assert _common.resolve_pos_label(y) == "yes"  # the rarer class
    assert _common.resolve_pos_label(y, "no") == "no"
    assert _common.resolve_pos_label(np.array(["0", "1", "1"]), 1) == "1"  # same spelling
    assert _common.resolve_pos_label(np.array([0, 1, 2])) is None  # multiclass
    with pytest.raises(ParameterError, match=r"Expected one of \['no', 'yes'\]"):
        _common.resolve_pos_label(y, "maybe")
    with pytest.raises(ParameterError, match="binary targets only.*for 3 classes"):
        _common.resolve_pos_label(np.array([0, 1, 2]), 1)


# ---------------------------------------------------------------- data
def _own_csv(path, n=40):
    """What a user brings: a text column, a few missing values, a string target."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(n, 2)), columns=["a", "b"])
    frame["city"] = rng.choice(["paris", "rome", "oslo"], n)
    frame.loc[[1, 5], "a"] = np.nan
    frame.loc[3, "city"] = np.nan
    frame["label"] = np.where(frame["b"] > 0.3, "yes", "no")
    frame.to_csv(path, index=False)
    return frame


def test_bundled_datasets_use_class_names():
    data = _common.load_dataset("breast_cancer")
    assert data.X.shape == (569, 30) and set(data.y) == {"malignant", "benign"}
    assert _common.resolve_pos_label(data.y) == "malignant"


def test_table_with_text_and_missing_values_is_one_hot_encoded_per_fold(tmp_path):
    frame = _own_csv(tmp_path / "own.csv")
    data = _common.load_dataset(tmp_path / "own.csv", "label")
    assert list(data.X.columns) == ["a", "b", "city"] and data.name == "own"
    assert data.describe() == "own: 40 samples, 3 features (1 text, 3 missing values), 2 classes"
    pipe = _common.model_pipeline(data.X, LogisticRegression())
    assert [name for name, _ in pipe.steps] == ["preprocess", "model"]
    train = clone(pipe).fit(data.X.iloc[:20], data.y[:20])
    encoded = train[0].transform(data.X.iloc[20:])
    assert encoded.shape == (20, 2 + 3) and np.isfinite(encoded).all()
    # fitted on the training rows only: the imputed median is theirs
    assert train[0].named_transformers_["numeric"][0].statistics_[0] == pytest.approx(
        frame["a"].iloc[:20].median()
    )
    assert np.isfinite(cross_val_score(pipe, data.X, data.y, cv=2)).all()


def test_scale_off_still_imputes_and_encodes(tmp_path):
    _own_csv(tmp_path / "own.csv")
    data = _common.load_dataset(tmp_path / "own.csv", "label")
    front = _data.preprocessing(data.X, scale=False)
    steps = front.fit(data.X).named_transformers_
    assert type(steps["numeric"]).__name__ == "SimpleImputer" and "text" in steps
    numeric = np.random.default_rng(0).normal(size=(10, 3))
    assert _data.preprocessing(numeric, scale=False) is None
    assert type(_data.preprocessing(numeric)).__name__ == "StandardScaler"
    numeric[0, 0] = np.nan
    assert [type(s).__name__ for s in _data.preprocessing(numeric)] == [
        "SimpleImputer",
        "StandardScaler",
    ]
    assert _data.preprocessing(np.zeros((4, 8, 8))) is None  # images


def test_npz_with_images(tmp_path):
    np.savez(tmp_path / "img.npz", X=np.zeros((6, 8, 8), np.uint8), y=np.arange(6) % 2)
    data = _common.load_dataset(str(tmp_path / "img.npz"))
    assert data.X.shape == (6, 8, 8) and data.X.dtype == np.uint8
    assert data.describe() == "img: 6 samples, images of shape (8, 8), 2 classes"
    assert [n for n, _ in _common.model_pipeline(data.X, LogisticRegression()).steps] == ["model"]


@pytest.mark.parametrize(
    "data, target, error, message",
    [
        (None, None, ParameterError, "No dataset given"),
        ("mnist_full", None, ParameterError, "Unknown dataset.*Received: --data mnist_full"),
        ("missing.csv", "y", DatasetNotFoundError, "Dataset file not found"),
        ("own.csv", None, DataError, "needs --target.*Received: --target not set"),
        ("own.csv", "lable", DataError, r"Target column not found.*'label'.*--target lable"),
        ("objects.npz", None, DataError, "cannot be read without pickle"),
        ("broken.csv", "y", DataError, "The table cannot be read"),
    ],
)
def test_data_errors(tmp_path, monkeypatch, data, target, error, message):
    monkeypatch.chdir(tmp_path)
    _own_csv(tmp_path / "own.csv")
    np.savez(tmp_path / "objects.npz", X=np.zeros((2, 2)), y=np.array([{}, {}], dtype=object))
    (tmp_path / "broken.csv").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(error, match=message):
        _common.load_dataset(data, target)


@pytest.mark.parametrize(
    "y, message",
    [
        (np.array(["a", "b", None, "a", "b"], dtype=object), "1 missing values.*rows \\[2\\]"),
        (np.linspace(0, 1, 10), "does not look like class labels.*'continuous'"),
        (np.array(["a"] * 5 + ["b"]), r"at least 2 samples per class.*\['b'\]"),
    ],
)
def test_target_errors(y, message):
    with pytest.raises(DataError, match=message):
        _common.check_classification_target(y)


def test_infinite_features_are_refused():
    with pytest.raises(DataError, match="1 infinite values"):
        _data.check_features(np.array([[1.0, np.inf], [0.0, 1.0]]))
    with pytest.raises(DataError, match="must be numbers"):
        _data.check_features(np.array([["a"], ["b"]]))


def test_space_table():
    space = space_from_table(
        {"units": [8, 16], "lr": {"low": 1e-3, "high": 1e-1, "log": True}}, "grid"
    )
    assert space == {"model__units": [8, 16], "model__lr": pytest.approx([1e-3, 1e-2, 1e-1])}
    random = space_from_table({"n": {"low": 1, "high": 3, "int": True}}, "random")
    assert set(random["model__n"].rvs(50, random_state=0)) == {1, 2, 3}
    with pytest.raises(ParameterError, match=r"unknown keys.*\['step'\]"):
        space_from_table({"n": {"low": 1, "high": 3, "step": 1}}, "grid")
    with pytest.raises(ParameterError, match="log = true needs low > 0"):
        space_from_table({"n": {"low": 0, "high": 3, "log": True}}, "random")
