"""final_step, fold_params and to_jsonable: the one copy each subpackage uses."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep.exceptions import ParameterError
from skdeep.utils._json import to_jsonable
from skdeep.utils._pipeline import final_step, fold_params


def test_final_step_of_nested_pipelines_and_prefix():
    inner = make_pipeline(StandardScaler(), LogisticRegression())
    outer = Pipeline([("prep", StandardScaler()), ("model", inner)])
    est, prefix = final_step(outer)
    assert isinstance(est, LogisticRegression)
    assert prefix == "model__logisticregression__"


def test_final_step_unwraps_fitted_searches_only_when_asked():
    X, y = np.random.default_rng(0).random((20, 2)), np.repeat([0, 1], 10)
    search = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression()), {}, cv=2)
    search.fit(X, y)
    assert final_step(search)[0] is search
    assert isinstance(final_step(search, unwrap_search=True)[0], LogisticRegression)


def test_final_step_rejects_a_passthrough_last_step():
    with pytest.raises(ParameterError, match="last step"):
        final_step(Pipeline([("scale", StandardScaler()), ("model", "passthrough")]))


def test_fold_params_indexes_per_sample_arrays_only():
    params = {"sample_weight": np.arange(5.0), "classes": [0, 1], "name": "abcde"}
    out = fold_params(params, 5, np.array([1, 3]))
    assert out["sample_weight"].tolist() == [1.0, 3.0]
    assert out["classes"] == [0, 1] and out["name"] == "abcde"


def test_to_jsonable_numpy_nan_and_fallback():
    value = {"x": np.arange(2), "y": (np.float64("nan"), np.bool_(True)), "z": object}
    out = to_jsonable(value)
    assert out["x"] == [0, 1] and out["y"] == [None, True]
    assert out["z"] == repr(object)
    assert to_jsonable({"z": object}, fallback=None)["z"] is object
