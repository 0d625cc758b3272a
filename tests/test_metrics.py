"""Metrics checked against a hand-computed confusion matrix."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score
from sklearn.model_selection import GridSearchCV, cross_validate

from skdeep.metrics import SCORER_NAMES, make_scorers, npv_score, specificity_score

# Binary, positive class 1:       predicted 0  predicted 1
#                      true 0        TN=5         FP=2
#                      true 1        FN=1         TP=4
Y_TRUE = np.array([0] * 7 + [1] * 5)
Y_PRED = np.array([0] * 5 + [1] * 2 + [0] * 1 + [1] * 4)


def test_binary_values_match_the_confusion_matrix():
    assert specificity_score(Y_TRUE, Y_PRED) == pytest.approx(5 / 7)
    assert npv_score(Y_TRUE, Y_PRED) == pytest.approx(5 / 6)
    # with class 0 as positive the roles swap: specificity = TP/(TP+FN) of class 1
    assert specificity_score(Y_TRUE, Y_PRED, pos_label=0) == pytest.approx(4 / 5)
    assert npv_score(Y_TRUE, Y_PRED, pos_label=0) == pytest.approx(4 / 6)


def test_scorers_compute_the_same_numbers():
    from sklearn.base import BaseEstimator, ClassifierMixin

    class Fixed(ClassifierMixin, BaseEstimator):
        classes_ = np.array([0, 1])

        def predict(self, X):
            return Y_PRED

    scorers = make_scorers()
    values = {name: scorer(Fixed(), None, Y_TRUE) for name, scorer in scorers.items()}
    assert values == pytest.approx(
        {
            "accuracy": 9 / 12,
            "precision": 4 / 6,
            "recall": 4 / 5,
            "specificity": 5 / 7,
            "f1": 2 * 4 / (2 * 4 + 2 + 1),
        }
    )


# Multiclass (3 classes), one-vs-rest counts per class (tn, fp, fn, tp):
#   y_true = [0,0,1,1,1,2,2,2,2], y_pred = [0,1,1,1,2,2,2,0,2]
#   class 0: tp=1 fn=1 fp=1 tn=6; class 1: tp=2 fn=1 fp=1 tn=5; class 2: tp=3 fn=1 fp=1 tn=4
YM_TRUE = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
YM_PRED = np.array([0, 1, 1, 1, 2, 2, 2, 0, 2])


def test_multiclass_averages():
    spec = np.array([6 / 7, 5 / 6, 4 / 5])
    npv = np.array([6 / 7, 5 / 6, 4 / 5])  # tn/(tn+fn): 6/7, 5/6, 4/5
    support = np.array([2, 3, 4])
    np.testing.assert_allclose(specificity_score(YM_TRUE, YM_PRED, average=None), spec)
    np.testing.assert_allclose(npv_score(YM_TRUE, YM_PRED, average=None), npv)
    assert npv_score(YM_TRUE, YM_PRED, average="macro") == pytest.approx(npv.mean())
    assert npv_score(YM_TRUE, YM_PRED, average="weighted") == pytest.approx(
        np.average(npv, weights=support)
    )
    assert npv_score(YM_TRUE, YM_PRED, average="micro") == pytest.approx(15 / 18)
    assert specificity_score(YM_TRUE, YM_PRED, average="macro") == pytest.approx(spec.mean())


def test_npv_zero_division_and_errors():
    assert npv_score([1, 1], [1, 1], zero_division=1.0) == 1.0
    assert npv_score([1, 1], [1, 1]) == 0.0
    with pytest.raises(ValueError, match="average='binary'"):
        npv_score(YM_TRUE, YM_PRED)
    with pytest.raises(ValueError, match="average="):
        npv_score(Y_TRUE, Y_PRED, average="samples")


def test_make_scorers_in_multi_metric_search(binary_data):
    X, y = binary_data
    labels = np.where(y == 1, "pos", "neg")
    search = GridSearchCV(
        LogisticRegression(),
        {"C": [0.1, 1.0]},
        scoring=make_scorers(["precision", "specificity", "npv", "f1"], pos_label="pos"),
        refit="f1",
        cv=3,
    ).fit(X, labels)
    for name in ("precision", "specificity", "npv", "f1"):
        assert np.all(search.cv_results_[f"mean_test_{name}"] > 0.5)
    assert search.best_score_ == search.cv_results_["mean_test_f1"].max()


def test_macro_scorers_on_multiclass(multiclass_data):
    X, y = multiclass_data
    scores = cross_validate(
        LogisticRegression(), X, y, cv=3, scoring=make_scorers(SCORER_NAMES, average="macro")
    )
    assert all(np.all(scores[f"test_{n}"] > 0.5) for n in SCORER_NAMES)


def test_make_scorers_errors():
    with pytest.raises(ValueError, match=r"Received: \['f2'\]"):
        make_scorers(["f2"])
    with pytest.raises(ValueError, match="average='samples'"):
        make_scorers(average="samples")


def test_scalar_results_are_python_floats():
    assert type(specificity_score(Y_TRUE, Y_PRED)) is float
    assert type(npv_score(Y_TRUE, Y_PRED)) is float


# ---------------------------------------------------------------- the shared rules
@pytest.mark.parametrize(
    "y, expected",
    [
        ([0, 1, 1, 1], 1),  # numeric labels with 1: scikit-learn's default, even if common
        ([1.0, 2.0, 2.0], 1.0),
        ([False, True, True], True),
        (["benign", "malignant", "benign"], "malignant"),  # the rarer class
        (["yes", "no", "no", "no"], "yes"),
        (["no", "yes", "yes", "yes"], "no"),
        (["no", "yes", "no", "yes"], "yes"),  # a tie: the last in sorted order
        ([2, 3, 3], 2),  # numeric without 1: the rarer class
    ],
)
def test_default_pos_label(y, expected):
    from skdeep.metrics import default_pos_label

    assert default_pos_label(np.asarray(y)) == expected
    assert type(default_pos_label(np.asarray(y))) is type(expected)


def test_default_pos_label_needs_two_classes():
    from skdeep.exceptions import DataError
    from skdeep.metrics import default_pos_label

    with pytest.raises(DataError, match="Expected 2 classes. Received: y with 3 classes"):
        default_pos_label([0, 1, 2])


def test_resolve_scoring_forms_and_errors(binary_data):
    from sklearn.metrics import get_scorer

    from skdeep.exceptions import ParameterError
    from skdeep.metrics import resolve_scoring

    X, y = binary_data
    assert list(resolve_scoring(None)) == list(make_scorers())
    assert list(resolve_scoring("f1")) == ["score"]
    assert list(resolve_scoring(get_scorer("accuracy"))) == ["score"]
    assert list(resolve_scoring(("recall", "roc_auc"))) == ["recall", "roc_auc"]
    scorers = resolve_scoring({"sens": "recall", "spec": "specificity"}, pos_label=0)
    model = LogisticRegression().fit(X, y)
    pred = model.predict(X)
    assert scorers["sens"](model, X, y) == pytest.approx(recall_score(y, pred, pos_label=0))
    assert scorers["spec"](model, X, y) == pytest.approx(recall_score(y, pred, pos_label=1))
    for bad, message in [
        ([], "distinct metric names"),
        (["f1", "f1"], "distinct metric names"),
        ({}, "map metric names"),
        ({"a": 1}, r"Received: scoring\['a'\]=1"),
        ("f2", "Unknown metric name.*'f2'"),
        (3, "scoring must be None, a metric name"),
    ]:
        with pytest.raises(ParameterError, match=message):
            resolve_scoring(bad)


def test_regression_scorers_are_sklearns_under_short_names():
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import Ridge
    from sklearn.metrics import get_scorer

    from skdeep.exceptions import ParameterError
    from skdeep.metrics import REGRESSION_SCORERS, make_regression_scorers, resolve_scoring

    X, y = load_diabetes(return_X_y=True)
    model = Ridge().fit(X, y)
    scorers = make_regression_scorers(REGRESSION_SCORERS)
    for name, sklearn_name in REGRESSION_SCORERS.items():
        assert scorers[name](model, X, y) == get_scorer(sklearn_name)(model, X, y)
    assert list(make_regression_scorers()) == ["mae", "rmse", "r2"]
    assert list(resolve_scoring(None, task="regression")) == ["mae", "rmse", "r2"]
    assert resolve_scoring(["mae"], task="regression")["mae"](model, X, y) < 0  # negated
    with pytest.raises(ParameterError, match=r"Expected names among \['mae'.*Received: \['mea'\]"):
        make_regression_scorers(["mea"])
    with pytest.raises(ParameterError, match="Expected one of .*Received: task='ranking'"):
        resolve_scoring(None, task="ranking")
    # in a classification task "mae" is no skdeep name and no scikit-learn scorer name
    with pytest.raises(ParameterError, match="skdeep classification metric among"):
        resolve_scoring(["mae"])


@pytest.mark.parametrize(
    "name, error, bounds",
    [
        ("precision", False, (0, 1)),
        ("precision_macro", False, (0, 1)),
        ("f1_weighted", False, (0, 1)),
        ("roc_auc_ovr", False, (0, 1)),
        ("specificity", False, (0, 1)),
        ("mcc", False, (-1, 1)),
        ("matthews_corrcoef", False, (-1, 1)),
        ("r2", False, (-np.inf, 1)),
        ("d2_absolute_error_score", False, (-np.inf, 1)),
        ("neg_log_loss", True, (-np.inf, 0)),
        ("rmse", True, (-np.inf, 0)),
        ("adjusted_rand_score", False, (-np.inf, np.inf)),  # not a name it knows
        ("precisionish", False, (-np.inf, np.inf)),
        (None, False, (-np.inf, np.inf)),  # a callable scorer
    ],
)
def test_metric_ranges_and_error_metrics(name, error, bounds):
    from skdeep.metrics import is_error_metric, metric_range

    assert is_error_metric(name) is error
    assert metric_range(name) == bounds
