"""cross_validate_study on regressors, and intervals kept inside each metric's range."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.datasets import make_regression
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import get_scorer, mean_absolute_error, r2_score, root_mean_squared_error
from sklearn.model_selection import KFold, RepeatedKFold, cross_val_predict, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import ANNRegressor
from skdeep.evaluation import cross_validate_study
from skdeep.exceptions import DataError, ParameterError
from skdeep.metrics import REGRESSION_SCORERS


@pytest.fixture(scope="module")
def data():
    X, y = make_regression(n_samples=120, n_features=5, noise=20.0, random_state=0)
    return X.astype(np.float32), y + 500.0


def ridge():
    return make_pipeline(StandardScaler(), Ridge(alpha=1.0))


def test_default_scores_are_positive_errors_and_r2_equal_to_cross_validate(data):
    X, y = data
    cv = KFold(4, shuffle=True, random_state=2)
    study = cross_validate_study(ridge(), X, y, cv=cv, return_train_score=True)
    scoring = ["neg_mean_absolute_error", "neg_root_mean_squared_error", "r2"]
    ref = cross_validate(ridge(), X, y, cv=cv, scoring=scoring, return_train_score=True)
    assert study.metrics == ["mae", "rmse", "r2"]
    np.testing.assert_array_equal(study.folds["mae"], -ref["test_neg_mean_absolute_error"])
    np.testing.assert_array_equal(study.folds["rmse"], -ref["test_neg_root_mean_squared_error"])
    np.testing.assert_array_equal(study.folds["r2"], ref["test_r2"])
    np.testing.assert_array_equal(study.folds["train_mae"], -ref["train_neg_mean_absolute_error"])
    assert (study.folds["mae"] > 0).all()
    assert study.info["task"] == "regression" and study.info["target_type"] == "continuous"
    assert study.info["errors_reported_positive"] == ["mae", "rmse"]
    assert study.confusion_matrix is None and study.labels is None


def test_default_cv_is_seeded_shuffled_kfold(data):
    X, y = data
    study = cross_validate_study(ridge(), X, y, random_state=7)
    assert study.info["cv"] == repr(KFold(5, shuffle=True, random_state=7))
    for i, (_, test) in enumerate(KFold(5, shuffle=True, random_state=7).split(X)):
        got = study.predictions.loc[study.predictions["split"] == i, "index"]
        np.testing.assert_array_equal(np.sort(got), test)


def test_pooled_predictions_equal_cross_val_predict(data):
    X, y = data
    cv = KFold(3, shuffle=True, random_state=0)
    study = cross_validate_study(ridge(), X, y, cv=cv)
    oof = cross_val_predict(ridge(), X, y, cv=cv)
    pred = study.predictions.sort_values("index")
    np.testing.assert_allclose(pred["y_pred"], oof)
    np.testing.assert_array_equal(pred["y_true"], y)
    pooled = study.info["pooled"]
    assert pooled["mae"] == pytest.approx(mean_absolute_error(y, oof))
    assert pooled["rmse"] == pytest.approx(root_mean_squared_error(y, oof))
    assert pooled["r2"] == pytest.approx(r2_score(y, oof))
    assert f"R² {pooled['r2']:.3f}, MAE {pooled['mae']:.4g}" in study.report()


def test_repeated_kfold_counts_every_sample_once_per_repeat(data):
    X, y = data
    cv = RepeatedKFold(n_splits=3, n_repeats=2, random_state=0)
    study = cross_validate_study(ridge(), X, y, cv=cv)
    ref = cross_validate(ridge(), X, y, cv=cv, scoring="r2")
    np.testing.assert_array_equal(study.folds["r2"], ref["test_score"])
    assert len(study.predictions) == 2 * len(y) and study.info["n_repeats"] == 2
    assert "(240; each sample counted once per repeat, 2 repeats)" in study.report()


@pytest.mark.parametrize(
    "scoring, columns, signs",
    [
        ("neg_mean_absolute_error", ["score"], [-1]),
        ("r2", ["score"], [1]),
        (["neg_median_absolute_error", "r2"], ["median_absolute_error", "r2"], [-1, 1]),
        ({"err": "neg_mean_squared_error", "mse": "mse"}, ["err", "mse"], [-1, -1]),
        ({"mine": get_scorer("neg_mean_absolute_error")}, ["mine"], [1]),  # a callable: as is
    ],
    ids=["str-error", "str-r2", "list", "dict-of-str", "dict-callable"],
)
def test_every_scoring_form_reports_named_errors_positive(data, scoring, columns, signs):
    X, y = data
    cv = KFold(3, shuffle=True, random_state=0)
    study = cross_validate_study(ridge(), X, y, cv=cv, scoring=scoring)
    if isinstance(scoring, dict):  # skdeep's short names are scikit-learn's scorers
        scoring = {k: REGRESSION_SCORERS.get(v, v) for k, v in scoring.items()}
    ref = cross_validate(ridge(), X, y, cv=cv, scoring=scoring)
    assert study.metrics == columns
    scored = [k for k in ref if k.startswith("test_")]
    for column, key, sign in zip(columns, scored, signs):
        np.testing.assert_array_equal(study.folds[column], sign * ref[key])


def test_a_string_error_metric_is_labelled_without_neg(data):
    X, y = data
    study = cross_validate_study(ridge(), X, y, cv=3, scoring="neg_mean_absolute_error")
    assert "score (mean_absolute_error)" in study.report()
    assert "errors (score) as positive numbers, lower is better" in study.report()


def test_multi_output_targets(data):
    X, y = data
    Y = np.column_stack([y, 2 * y + 1])
    study = cross_validate_study(ridge(), X, Y, cv=3, random_state=0)
    assert study.info["n_outputs"] == 2 and study.info["target_type"] == "continuous-multioutput"
    assert list(study.predictions.columns) == [
        "split", "index", "y_true_0", "y_true_1", "y_pred_0", "y_pred_1",
    ]  # fmt: skip
    oof = cross_val_predict(ridge(), X, Y, cv=KFold(3, shuffle=True, random_state=0))
    assert study.info["pooled"]["r2"] == pytest.approx(r2_score(Y, oof))
    assert len(study.plot_predictions().axes) == 2 and len(study.plot_residuals().axes) == 4
    assert "2 outputs" in study.report() and "averaged over 2 outputs" in study.report()


def test_regression_errors(data):
    X, y = data
    with pytest.raises(ParameterError, match="Expected pos_label=None for a regressor"):
        cross_validate_study(ridge(), X, y, pos_label=1)
    with pytest.raises(DataError, match="Expected numbers in y. Received: y of dtype <U"):
        cross_validate_study(ridge(), X, y.astype(str))
    with pytest.raises(DataError, match="Expected finite numbers. Received: 1 such values"):
        cross_validate_study(ridge(), X, np.where(np.arange(len(y)) == 3, np.nan, y))
    with pytest.raises(DataError, match=r"Expected y of shape \(120,\) or \(120, n_outputs\)"):
        cross_validate_study(ridge(), X, y[:-1])
    with pytest.raises(ParameterError, match="evaluates classifiers and regressors"):
        cross_validate_study(StandardScaler(), X, y)
    with pytest.raises(ParameterError, match="skdeep regression metric among.*'rsme'"):
        cross_validate_study(ridge(), X, y, scoring=["rsme"])


def test_figures_belong_to_their_task(data):
    X, y = data
    study = cross_validate_study(ridge(), X, y, cv=3, random_state=0)
    with pytest.raises(ParameterError, match="drawn for classification studies"):
        study.plot_confusion_matrix()
    labels = (y > np.median(y)).astype(int)
    classified = cross_validate_study(LogisticRegression(), X, labels, cv=3)
    with pytest.raises(ParameterError, match="drawn for regression studies"):
        classified.plot_residuals()


def test_save_writes_regression_figures_instead_of_the_confusion_matrix(data, tmp_path):
    X, y = data
    model = make_pipeline(StandardScaler(), ANNRegressor(epochs=2, units=8, random_state=0))
    study = cross_validate_study(model, X, y, cv=2, random_state=0)
    folder = study.save(tmp_path / "out")
    assert {p.name for p in folder.iterdir()} == {
        "folds.csv", "summary.csv", "predictions.csv", "histories.json", "study.json",
        "report.txt", "learning_curves.png", "predictions.png", "residuals.png",
    }  # fmt: skip
    record = json.loads((folder / "study.json").read_text())
    assert "confusion_matrix" not in record and record["task"] == "regression"
    assert record["pooled"]["mae"] == pytest.approx(study.info["pooled"]["mae"])
    folds = pd.read_csv(folder / "folds.csv")
    np.testing.assert_allclose(folds["rmse"], study.folds["rmse"])
    # the learning curves of a regressor: its loss and the validation MAE (target units)
    curves = study.plot_learning_curves()
    assert [ax.get_title() for ax in curves.axes[:1]] == ["loss"]
    assert study.info["final_step"] == "ANNRegressor" and len(study.histories) == 2


# ------------------------------------------------------------- intervals inside the range
class Echo(BaseEstimator):
    """Predicts column 0 of X: errors are chosen by the test, not learned."""

    def fit(self, X, y):
        return self

    def predict(self, X):
        return np.asarray(X)[:, 0]


class EchoClassifier(ClassifierMixin, Echo):
    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.asarray(X)[:, 0].astype(int)


class EchoRegressor(RegressorMixin, Echo):
    pass


def test_precision_interval_never_goes_above_one():
    """A fold's false positive: precision 1, 1, 1, 1, 10/11 gives mean + half > 1."""
    y = np.tile([0, 1], 50)
    X = y[:, None].astype(float).copy()
    X[0, 0] = 1  # predicted positive, truly negative: in the first of the unshuffled folds
    study = cross_validate_study(EchoClassifier(), X, y, cv=KFold(5), scoring=["precision"])
    values = study.folds["precision"].to_numpy()
    assert values.tolist() == pytest.approx([10 / 11, 1, 1, 1, 1])
    unclipped = values.mean() + 2.7764451 * values.std(ddof=1) / np.sqrt(5)
    assert unclipped > 1.0
    row = study.summary.loc["precision"]
    assert row["ci_high"] == 1.0 and row["ci_low"] < row["mean"]
    # of the metrics, precision alone (fit and score times, near 0 here, may be clipped too)
    metrics = [n for n in study.info["interval_clipped"] if not n.endswith("_time")]
    assert metrics == ["precision"]
    report = study.report()
    assert f"[{row['ci_low']:.3f}, 1.000] *" in report
    assert "* interval clipped to the values the metric can take" in report


def test_error_interval_never_goes_below_zero_and_r2_never_above_one():
    y = np.arange(100, dtype=float)
    X = y[:, None].copy()
    X[:20, 0] += 30.0  # the first fold is badly predicted, the others exactly
    study = cross_validate_study(EchoRegressor(), X, y, cv=KFold(5), scoring=["mae", "r2"])
    assert study.folds["mae"].tolist() == [30.0, 0.0, 0.0, 0.0, 0.0]
    assert study.summary.loc["mae", "ci_low"] == 0.0
    assert study.summary.loc["r2", "ci_high"] == 1.0
    assert set(study.info["interval_clipped"]) >= {"mae", "r2"}


def test_intervals_inside_the_range_are_left_alone(data):
    X, y = data
    study = cross_validate_study(ridge(), X, y, cv=5, random_state=0, scoring=["mae"])
    values = study.folds["mae"].to_numpy()
    half = 2.7764451 * values.std(ddof=1) / np.sqrt(5)
    assert study.summary.loc["mae", "ci_low"] == pytest.approx(values.mean() - half)
    assert "mae" not in study.info["interval_clipped"] and " *" not in study.report()
