import gc
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest
from sklearn.datasets import load_breast_cancer, make_classification
from sklearn.preprocessing import StandardScaler


def pytest_collection_finish(session):
    """What collection imported (TensorFlow, Keras, scikit-learn: millions of objects that live
    as long as the process) is moved out of the garbage collector's sight: every full
    collection during the tests, and the one at the process's exit, skips it. Objects the
    tests make are collected as usual."""
    gc.collect()
    gc.freeze()


@pytest.fixture
def pool(monkeypatch):
    """An empty engine pool for one test; the process's pool (and the networks it has
    compiled for other tests) is back afterwards."""
    from skdeep._training import _engines

    fresh = _engines.EnginePool()
    monkeypatch.setattr(_engines, "POOL", fresh)
    return fresh


@pytest.fixture(scope="session")
def binary_data():
    X, y = make_classification(
        n_samples=200, n_features=8, n_informative=5, random_state=0, class_sep=1.5
    )
    return X.astype("float32"), y


@pytest.fixture(scope="session")
def multiclass_data():
    X, y = make_classification(
        n_samples=300,
        n_features=10,
        n_informative=6,
        n_classes=3,
        n_clusters_per_class=1,
        random_state=0,
        class_sep=2.0,
    )
    return X.astype("float32"), y


@pytest.fixture(scope="session")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X).astype("float32"), y
