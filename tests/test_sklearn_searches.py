"""scikit-learn's and scikit-optimize's searches over skdeep estimators in Pipelines."""

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline as ImbPipeline
from scipy.stats import loguniform
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import ANNClassifier
from skdeep.metrics import make_scorers


def _pipelines():
    return {
        "sklearn": Pipeline(
            [("scale", StandardScaler()), ("ann", ANNClassifier(epochs=2, random_state=0))]
        ),
        "imblearn-smote": ImbPipeline(
            [
                ("scale", StandardScaler()),
                ("smote", SMOTE(random_state=0)),
                ("ann", ANNClassifier(epochs=2, random_state=0)),
            ]
        ),
    }


@pytest.fixture
def imbalanced(binary_data):
    X, y = binary_data
    keep = np.concatenate([np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:40]])
    return X[keep], y[keep]


@pytest.mark.parametrize("kind", ["sklearn", "imblearn-smote"])
def test_grid_search_multi_metric(imbalanced, kind):
    X, y = imbalanced
    search = GridSearchCV(
        _pipelines()[kind],
        {"ann__units": [4, 16], "ann__learning_rate": [1e-3, 1e-2]},  # 4 candidates, 2 networks
        cv=3,
        scoring=make_scorers(),
        refit="f1",
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert not np.any(np.isnan(search.cv_results_["mean_test_specificity"]))
    assert search.best_estimator_.predict(X).shape == y.shape


def test_randomized_search(imbalanced):
    X, y = imbalanced
    search = RandomizedSearchCV(
        _pipelines()["sklearn"],
        {"ann__learning_rate": loguniform(1e-4, 1e-1), "ann__activation": ["relu", "tanh"]},
        n_iter=3,
        cv=2,
        random_state=0,
    ).fit(X, y)
    rates = search.cv_results_["param_ann__learning_rate"]
    assert len(set(rates)) == 3 and all(1e-4 <= r <= 1e-1 for r in rates)


@pytest.mark.parametrize(
    "kind",
    # the imblearn pipeline in a search: test_grid_search_multi_metric[imblearn-smote]
    ["sklearn", pytest.param("imblearn-smote", marks=pytest.mark.slow)],
)
def test_bayes_search(imbalanced, kind):
    skopt = pytest.importorskip("skopt")
    from skopt.space import Categorical, Integer, Real

    X, y = imbalanced
    search = skopt.BayesSearchCV(
        _pipelines()[kind],
        {
            "ann__units": Integer(4, 32),
            "ann__learning_rate": Real(1e-4, 1e-1, prior="log-uniform"),
            "ann__batch_norm": Categorical([True, False]),
            "ann__activation": Categorical(["relu", "elu"]),
        },
        n_iter=4,
        cv=2,
        random_state=0,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert 0.5 < search.best_score_ <= 1.0


def test_failing_candidates_get_error_score_and_the_search_completes(cancer):
    from sklearn.exceptions import FitFailedWarning

    X, y = cancer
    grid = [
        {"learning_rate": [1e-3]},
        {"optimizer": ["sgd"], "learning_rate": [1e20]},  # diverges to NaN loss
        {"units": [0]},  # invalid parameter
    ]
    search = GridSearchCV(ANNClassifier(epochs=3, random_state=0), grid, cv=2, error_score=np.nan)
    with pytest.warns(FitFailedWarning) as record:
        search.fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert scores[0] > 0.8 and np.isnan(scores[1]) and np.isnan(scores[2])
    assert search.best_params_ == {"learning_rate": 1e-3}
    text = " ".join(str(w.message) for w in record)
    assert "TrainingDivergedError" in text and "'units' parameter" in text
