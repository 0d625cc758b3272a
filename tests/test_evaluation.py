"""cross_validate_study: numbers equal scikit-learn's, no leakage, histories, files."""

import json
import math

import numpy as np
import pandas as pd
import pytest
from joblib import parallel_backend
from scipy import stats
from sklearn.base import BaseEstimator
from sklearn.datasets import load_iris, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, get_scorer, recall_score
from sklearn.model_selection import (
    KFold,
    RepeatedStratifiedKFold,
    StratifiedKFold,
    cross_val_predict,
    cross_validate,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import ANNClassifier
from skdeep._training import _engines
from skdeep.evaluation import StudyResult, cross_validate_study
from skdeep.exceptions import DataError, ParameterError
from skdeep.metrics import default_pos_label, make_scorers
from skdeep.model_selection import inner_split


@pytest.fixture(scope="module")
def data():
    """150 samples whose first column is a unique row id (exact in float32)."""
    X, y = make_classification(
        n_samples=150, n_features=6, n_informative=4, random_state=0, class_sep=1.2
    )
    ids = np.arange(len(y), dtype=np.float32) / len(y)
    return np.column_stack([ids, X]).astype(np.float32), y


def logreg():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))


def test_folds_match_cross_validate(data):
    X, y = data
    cv = StratifiedKFold(5, shuffle=True, random_state=3)
    study = cross_validate_study(logreg(), X, y, cv=cv, return_train_score=True)
    ref = cross_validate(logreg(), X, y, cv=cv, scoring=make_scorers(), return_train_score=True)
    assert study.metrics == ["accuracy", "precision", "recall", "specificity", "f1"]
    assert list(study.folds["fold"]) == [0, 1, 2, 3, 4]
    assert "repeat" not in study.folds
    for name in study.metrics:
        np.testing.assert_array_equal(study.folds[name].to_numpy(), ref[f"test_{name}"])
        np.testing.assert_array_equal(study.folds[f"train_{name}"].to_numpy(), ref[f"train_{name}"])
    assert (study.folds["n_train"] + study.folds["n_test"] == len(y)).all()
    assert (study.folds["fit_time"] > 0).all()
    assert study.histories == []
    assert "n_epochs" not in study.folds


def test_fit_params_are_split_like_x(data):
    X, y = data
    weights = np.linspace(0.5, 2.0, len(y))
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    params = {"logisticregression__sample_weight": weights}
    study = cross_validate_study(logreg(), X, y, cv=cv, params=params, scoring="f1")
    ref = cross_validate(logreg(), X, y, cv=cv, params=params, scoring="f1")
    unweighted = cross_validate(logreg(), X, y, cv=cv, scoring="f1")
    np.testing.assert_array_equal(study.folds["score"], ref["test_score"])
    assert not np.array_equal(ref["test_score"], unweighted["test_score"])


def test_repeated_kfold_matches_and_pools_each_repeat(data):
    X, y = data
    cv = RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=0)
    study = cross_validate_study(logreg(), X, y, cv=cv)
    ref = cross_validate(logreg(), X, y, cv=cv, scoring=make_scorers())
    np.testing.assert_array_equal(study.folds["f1"], ref["test_f1"])
    assert study.folds[["repeat", "fold"]].values.tolist() == [
        [0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2],
    ]  # fmt: skip
    # every sample counted once per repeat: the sum of each repeat's cross_val_predict matrix
    splits = list(cv.split(X, y))
    expected = sum(
        confusion_matrix(y, cross_val_predict(logreg(), X, y, cv=splits[r * 3 : r * 3 + 3]))
        for r in range(2)
    )
    np.testing.assert_array_equal(study.confusion_matrix, expected)
    assert study.confusion_matrix.sum() == 2 * len(y)
    assert study.info["n_repeats"] == 2
    assert "each sample counted once per repeat" in study.report()


def test_pooled_confusion_matrix_equals_cross_val_predict(data):
    X, y = data
    cv = StratifiedKFold(4, shuffle=True, random_state=1)
    study = cross_validate_study(logreg(), X, y, cv=cv)
    oof = cross_val_predict(logreg(), X, y, cv=cv)
    np.testing.assert_array_equal(study.confusion_matrix, confusion_matrix(y, oof))
    pred = study.predictions.sort_values("index")
    np.testing.assert_array_equal(pred["y_pred"], oof)
    np.testing.assert_array_equal(pred["y_true"], y)


def test_default_cv_is_seeded_shuffled_stratified_5_fold(data):
    X, y = data
    study = cross_validate_study(logreg(), X, y, random_state=7)
    expected = StratifiedKFold(5, shuffle=True, random_state=7).split(X, y)
    for i, (_, test) in enumerate(expected):
        got = study.predictions.loc[study.predictions["split"] == i, "index"]
        np.testing.assert_array_equal(np.sort(got), test)
    # an int k gives the same kind of splitter
    three = cross_validate_study(logreg(), X, y, cv=3, random_state=7)
    assert three.info["cv"] == repr(StratifiedKFold(3, shuffle=True, random_state=7))


def test_any_splitter_and_groups(data):
    X, y = data
    study = cross_validate_study(logreg(), X, y, cv=KFold(3), scoring="accuracy")
    ref = cross_validate(logreg(), X, y, cv=KFold(3), scoring="accuracy")
    np.testing.assert_array_equal(study.folds["score"], ref["test_score"])
    from sklearn.model_selection import GroupKFold

    groups = np.arange(len(y)) % 5
    grouped = cross_validate_study(logreg(), X, y, cv=GroupKFold(5), groups=groups)
    for i in range(5):
        test = grouped.predictions.loc[grouped.predictions["split"] == i, "index"]
        assert len(np.unique(groups[test])) == 1


def test_multiclass_default_scoring_is_macro_averaged():
    X, y = load_iris(return_X_y=True)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    model = LogisticRegression(max_iter=1000)
    study = cross_validate_study(model, X, y, cv=cv)
    ref = cross_validate(model, X, y, cv=cv, scoring={"f1": get_scorer("f1_macro")})
    np.testing.assert_array_equal(study.folds["f1"], ref["test_f1"])
    assert study.info["average"] == "macro" and study.info["pos_label"] is None
    assert study.confusion_matrix.shape == (3, 3)


def test_string_labels_default_and_explicit_positive_class(data):
    X, y = data
    rare_yes = np.arange(len(y)) % 3 == 0  # one "yes" for two "no": "yes" is the rarer class
    labels = np.where(rare_yes, "yes", "no")
    rare = cross_validate_study(logreg(), X, labels, cv=2, random_state=0, scoring=["recall"])
    assert rare.info["pos_label"] == "yes"
    rare_no = cross_validate_study(logreg(), X, np.where(rare_yes, "no", "yes"), cv=2)
    assert rare_no.info["pos_label"] == "no"
    labels = np.where(y == 1, "yes", "no")
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    study = cross_validate_study(logreg(), X, labels, cv=cv, scoring=["recall"])
    assert study.info["pos_label"] == default_pos_label(labels)
    for i in range(3):
        fold = study.predictions[study.predictions["split"] == i]
        expected = recall_score(fold["y_true"], fold["y_pred"], pos_label="yes")
        assert study.folds.loc[i, "recall"] == pytest.approx(expected)
    flipped = cross_validate_study(logreg(), X, labels, cv=cv, scoring=["recall"], pos_label="no")
    assert not np.allclose(flipped.folds["recall"], study.folds["recall"])
    with pytest.raises(ParameterError, match=r"pos_label must be one of .*Received: pos_label=1"):
        cross_validate_study(logreg(), X, labels, cv=cv, pos_label=1)


def test_scoring_mixes_skdeep_and_sklearn_names(data):
    X, y = data
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    study = cross_validate_study(logreg(), X, y, cv=cv, scoring=["specificity", "roc_auc"])
    ref = cross_validate(logreg(), X, y, cv=cv, scoring="roc_auc")
    assert study.metrics == ["specificity", "roc_auc"]
    np.testing.assert_array_equal(study.folds["roc_auc"], ref["test_score"])
    single = cross_validate_study(logreg(), X, y, cv=cv, scoring=get_scorer("accuracy"))
    assert single.metrics == ["score"]


@pytest.mark.parametrize(
    "scoring",
    [
        "f1",
        get_scorer("accuracy"),
        ["f1", "recall"],
        ("roc_auc", "precision"),
        {"f1": "f1", "recall": "recall"},
        {"acc": get_scorer("accuracy"), "auc": "roc_auc"},
    ],
    ids=["str", "callable", "list", "tuple", "dict-of-str", "dict-mixed"],
)
def test_every_scoring_form_of_cross_validate_gives_its_keys_and_numbers(data, scoring):
    X, y = data
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    study = cross_validate_study(logreg(), X, y, cv=cv, scoring=scoring)
    ref = cross_validate(logreg(), X, y, cv=cv, scoring=scoring)
    expected = [k[len("test_") :] for k in ref if k.startswith("test_")]
    assert study.metrics == expected
    for name in expected:
        np.testing.assert_array_equal(study.folds[name], ref[f"test_{name}"])


def test_named_metrics_in_a_dict_use_the_positive_class(data):
    X, y = data
    labels = np.where(y == 1, "yes", "no")
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    study = cross_validate_study(
        logreg(), X, labels, cv=cv, scoring={"sens": "recall", "spec": "specificity"},
        pos_label="no",
    )  # fmt: skip
    for i in range(3):
        fold = study.predictions[study.predictions["split"] == i]
        assert study.folds.loc[i, "sens"] == pytest.approx(
            recall_score(fold["y_true"], fold["y_pred"], pos_label="no")
        )
        assert study.folds.loc[i, "spec"] == pytest.approx(
            recall_score(fold["y_true"], fold["y_pred"], pos_label="yes")
        )
    assert (
        "score (roc_auc)" in cross_validate_study(logreg(), X, y, cv=cv, scoring="roc_auc").report()
    )


def test_summary_is_mean_sd_and_t_interval(data):
    X, y = data
    study = cross_validate_study(logreg(), X, y, cv=5, random_state=0)
    for name in study.metrics:
        values = study.folds[name].to_numpy()
        row = study.summary.loc[name]
        half = stats.t.ppf(0.975, 4) * values.std(ddof=1) / math.sqrt(5)
        assert row["mean"] == pytest.approx(values.mean())
        assert row["sd"] == pytest.approx(values.std(ddof=1))
        assert row["ci_low"] == pytest.approx(values.mean() - half)
        assert row["ci_high"] == pytest.approx(values.mean() + half)
    assert list(study.summary.columns) == ["mean", "sd", "ci_low", "ci_high"]
    assert "fit_time" in study.summary.index
    report = study.report()
    f1 = study.summary.loc["f1"]
    assert f"{f1['mean']:.3f} ±" in report and f"[{f1.ci_low:.3f}, {f1.ci_high:.3f}]" in report
    assert str(study) == report


def test_to_frame_is_long(data):
    X, y = data
    study = cross_validate_study(logreg(), X, y, cv=3, random_state=0)
    long = study.to_frame()
    assert list(long.columns) == ["split", "fold", "metric", "value"]
    assert len(long) == 3 * (len(study.metrics) + 2)  # metrics, fit_time, score_time
    f1 = long[long["metric"] == "f1"]["value"].to_numpy()
    np.testing.assert_array_equal(f1, study.folds["f1"])


class SpyScaler(StandardScaler):
    """Records the row ids (column 0) of every fit."""

    fitted_on: list = []

    def fit(self, X, y=None, sample_weight=None):
        SpyScaler.fitted_on.append(np.sort(np.asarray(X)[:, 0]))
        return super().fit(X, y, sample_weight)


def test_each_fold_scaler_sees_its_training_part_only(data):
    X, y = data
    SpyScaler.fitted_on.clear()
    cv = RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=0)
    model = make_pipeline(SpyScaler(), LogisticRegression(max_iter=500))
    cross_validate_study(model, X, y, cv=cv)
    splits = list(cv.split(X, y))
    assert len(SpyScaler.fitted_on) == len(splits)
    for seen, (train, test) in zip(SpyScaler.fitted_on, splits):
        np.testing.assert_array_equal(seen, np.sort(X[train, 0]))
        assert not np.isin(seen, X[test, 0]).any()


class SpySampler(BaseEstimator):
    """An imblearn-style sampler that resamples nothing and records the row ids it saw."""

    seen: list = []

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit_resample(self, X, y):
        SpySampler.seen.append(np.sort(np.asarray(X)[:, 0]))
        return X, y


def ann(**params):
    defaults = dict(epochs=2, units=8, n_layers=1, batch_size=16, random_state=0)
    return ANNClassifier(**{**defaults, **params})


def test_sampler_sees_neither_early_stopping_rows_nor_test_fold(data):
    X, y = data
    SpySampler.seen.clear()
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    model = ann(sampler=SpySampler(), early_stopping=True, validation_fraction=0.25)
    study = cross_validate_study(model, X, y, cv=cv)
    assert len(SpySampler.seen) == 3
    for seen, (train, test) in zip(SpySampler.seen, cv.split(X, y)):
        y_enc = np.searchsorted(np.unique(y[train]), y[train])
        inner_train, inner_val = inner_split(y_enc, 0.25, 0)
        np.testing.assert_array_equal(seen, np.sort(X[train][inner_train, 0]))
        assert not np.isin(seen, X[train][inner_val, 0]).any()
        assert not np.isin(seen, X[test, 0]).any()
    assert all("val_loss" in h for h in study.histories)


def test_balanced_class_weights_come_from_the_inner_training_part():
    y = np.array([0] * 101 + [1] * 49)
    X = np.random.default_rng(0).normal(size=(150, 3)).astype(np.float32)
    est = ann(epochs=1, class_weight="balanced", early_stopping=True, validation_fraction=0.2)
    est.fit(X, y)
    inner_train, _ = inner_split(y, 0.2, 0)
    counts = np.bincount(y[inner_train])
    expected = {c: len(inner_train) / (2 * counts[c]) for c in (0, 1)}
    assert est.class_weight_ == pytest.approx(expected)
    assert est.class_weight_[0] != pytest.approx(150 / (2 * 101), abs=1e-4)  # not all data


def test_input_noise_is_training_only(data):
    X, y = data
    est = ann(epochs=1, gaussian_noise=1.0).fit(X, y)
    first = est.predict_proba(X)
    np.testing.assert_array_equal(first, est.predict_proba(X))


def test_skdeep_histories_epochs_and_numbers_match_cross_validate(data):
    X, y = data
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    model = make_pipeline(StandardScaler(), ann(epochs=3, early_stopping=True, patience=0))
    pool_before = len(_engines.POOL)
    study = cross_validate_study(model, X, y, cv=cv)
    # fold models are dropped as soon as they are scored: all folds share one compiled engine
    assert len(_engines.POOL) - pool_before <= 1
    ref = cross_validate(model, X, y, cv=cv, scoring=make_scorers(), return_estimator=True)
    for name in study.metrics:
        np.testing.assert_array_equal(study.folds[name], ref[f"test_{name}"])
    assert len(study.histories) == 3
    for i, (history, fitted) in enumerate(zip(study.histories, ref["estimator"])):
        assert history == fitted[-1].history_
        assert study.folds.loc[i, "n_epochs"] == len(history["loss"]) == fitted[-1].n_epochs_
        assert study.folds.loc[i, "best_epoch"] == fitted[-1].best_epoch_
    assert str(study.folds["n_epochs"].dtype) == "Int64"
    assert {"n_epochs", "best_epoch"} <= set(study.summary.index)
    assert study.info["final_step"] == "ANNClassifier"


def test_nested_search_reports_outer_folds_and_refit_histories(data):
    from sklearn.model_selection import GridSearchCV

    X, y = data
    search = GridSearchCV(ann(epochs=2), {"units": [4]}, cv=2)
    study = cross_validate_study(search, X, y, cv=2, random_state=0)
    assert len(study.folds) == 2 and study.info["final_step"] == "GridSearchCV"
    assert [len(h["loss"]) for h in study.histories] == [2, 2]  # the refit model of each fold


def test_no_early_stopping_leaves_best_epoch_missing(data):
    X, y = data
    study = cross_validate_study(ann(epochs=1), X, y, cv=2, random_state=0)
    assert study.folds["best_epoch"].isna().all()
    assert (study.folds["n_epochs"] == 1).all()
    assert "best epoch" not in study.report()
    assert set(study.histories[0]) == {"loss", "accuracy", "learning_rate"}


def test_parallel_folds_give_the_same_numbers(data):
    X, y = data
    serial = cross_validate_study(logreg(), X, y, cv=4, random_state=0)
    with parallel_backend("threading"):
        parallel = cross_validate_study(logreg(), X, y, cv=4, random_state=0, n_jobs=2)
    pd.testing.assert_frame_equal(
        serial.folds.drop(columns=["fit_time", "score_time"]),
        parallel.folds.drop(columns=["fit_time", "score_time"]),
    )
    np.testing.assert_array_equal(serial.confusion_matrix, parallel.confusion_matrix)


def test_save_writes_every_file(data, tmp_path):
    X, y = data
    study = cross_validate_study(ann(epochs=2), X, y, cv=2, random_state=0)
    folder = study.save(tmp_path / "out")
    names = {p.name for p in folder.iterdir()}
    assert names == {
        "folds.csv",
        "summary.csv",
        "confusion_matrix.csv",
        "predictions.csv",
        "histories.json",
        "study.json",
        "report.txt",
        "learning_curves.png",
        "confusion_matrix.png",
    }
    folds = pd.read_csv(folder / "folds.csv")
    np.testing.assert_allclose(folds["f1"], study.folds["f1"])
    summary = pd.read_csv(folder / "summary.csv", index_col="metric")
    np.testing.assert_allclose(summary.loc["f1"], study.summary.loc["f1"])
    cm = pd.read_csv(folder / "confusion_matrix.csv", index_col=0)
    np.testing.assert_array_equal(cm.to_numpy(), study.confusion_matrix)
    assert json.loads((folder / "histories.json").read_text()) == study.histories
    info = json.loads((folder / "study.json").read_text())
    assert info["labels"] == [0, 1] and info["confusion_matrix"] == study.confusion_matrix.tolist()
    assert info["summary"]["f1"]["mean"] == pytest.approx(study.summary.loc["f1", "mean"])
    assert (folder / "report.txt").read_text().strip() == study.report()
    for png in ("learning_curves.png", "confusion_matrix.png"):
        assert (folder / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_save_without_histories_skips_learning_curves(data, tmp_path):
    X, y = data
    study = cross_validate_study(logreg(), X, y, cv=2, random_state=0)
    study.save(tmp_path)
    assert not (tmp_path / "learning_curves.png").exists()
    assert (tmp_path / "confusion_matrix.png").exists()
    with pytest.raises(ParameterError, match="no training histories.*Received: estimator "):
        study.plot_learning_curves()


def test_repr_is_short(data):
    X, y = data
    study = cross_validate_study(logreg(), X, y, cv=2, random_state=0)
    assert isinstance(study, StudyResult)
    assert repr(study).startswith("StudyResult(n_fits=2, metrics=['accuracy'")
    assert len(repr(study)) < 200


def test_errors(data):
    X, y = data
    with pytest.raises(ParameterError, match=r"evaluates classifiers.*Received: estimator="):
        cross_validate_study(StandardScaler(), X, y)
    with pytest.raises(DataError, match=r"one label per sample.*Received: y with shape \(149,\)"):
        cross_validate_study(logreg(), X, y[:-1])
    with pytest.raises(DataError, match="binary and multiclass.*'continuous'"):
        cross_validate_study(logreg(), X, np.linspace(0, 1, len(y)))
    with pytest.raises(ParameterError, match="at least 2 folds.*Received: cv=1"):
        cross_validate_study(logreg(), X, y, cv=1)
    with pytest.raises(ParameterError, match="Unknown metric name.*Received: scoring name 'f2'"):
        cross_validate_study(logreg(), X, y, scoring=["f1", "f2"])
    with pytest.raises(ParameterError, match="distinct metric names"):
        cross_validate_study(logreg(), X, y, scoring=["f1", "f1"])
    with pytest.raises(ParameterError, match=r"names or scorer callables.*scoring\['f1'\]=3"):
        cross_validate_study(logreg(), X, y, scoring={"f1": 3})
    with pytest.raises(ParameterError, match="Unknown metric name.*'f2'"):
        cross_validate_study(logreg(), X, y, scoring={"f": "f2"})
    with pytest.raises(ParameterError, match="scoring must be None, a metric name"):
        cross_validate_study(logreg(), X, y, scoring=3)


@pytest.mark.slow
def test_breast_cancer_example_runs(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "docs" / "examples" / "breast_cancer_study.py"
    out = tmp_path / "study"
    done = subprocess.run(
        [sys.executable, str(script), str(out)], capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "pooled out-of-fold confusion matrix" in done.stdout
    folds = pd.read_csv(out / "folds.csv")
    assert len(folds) == 15 and folds["f1"].mean() > 0.9
    assert (out / "learning_curves.png").exists()
