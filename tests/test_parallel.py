"""Parallel and distributed searches: per-worker threads, pickling to remote workers, dask."""

import os
import subprocess
import sys

import numpy as np
import pytest
from joblib import Parallel, delayed
from sklearn.model_selection import GridSearchCV

from skdeep import ANNClassifier


def _worker_threads():
    import keras

    import skdeep.estimators  # noqa: F401  (configures the backend before Keras is used)

    if keras.backend.backend() != "tensorflow":
        return None
    import tensorflow as tf

    return tf.config.threading.get_intra_op_parallelism_threads()


def test_joblib_workers_get_their_share_of_threads():
    pytest.importorskip("tensorflow")
    threads = Parallel(n_jobs=2)(delayed(_worker_threads)() for _ in range(2))
    assert threads == [1, 1]  # loky gives each of 2 workers 1 core on a 2-core machine


def test_skdeep_num_threads_overrides():
    pytest.importorskip("tensorflow")
    code = (
        "import skdeep.estimators, tensorflow as tf; "
        "print(tf.config.threading.get_intra_op_parallelism_threads())"
    )
    env = {**os.environ, "SKDEEP_NUM_THREADS": "3", "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.strip().splitlines()[-1] == "3"


def test_grid_search_n_jobs_2_matches_n_jobs_1(binary_data):
    X, y = binary_data
    grid = {"units": [4, 8], "dropout": [0.0, 0.2]}
    results = [
        GridSearchCV(ANNClassifier(epochs=2, random_state=0), grid, cv=2, n_jobs=n)
        .fit(X, y)
        .cv_results_["mean_test_score"]
        for n in (1, 2)
    ]
    np.testing.assert_allclose(results[0], results[1], atol=1e-12)


def test_grid_search_on_a_dask_cluster(binary_data):
    distributed = pytest.importorskip("distributed")
    from joblib import parallel_config

    X, y = binary_data
    grid = {"units": [4, 8], "learning_rate": [1e-3, 1e-2]}
    local = GridSearchCV(ANNClassifier(epochs=2, random_state=0), grid, cv=2).fit(X, y)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        with parallel_config(backend="dask"):
            remote = GridSearchCV(ANNClassifier(epochs=2, random_state=0), grid, cv=2, n_jobs=-1)
            remote.fit(X, y)
        workers_used = len(client.scheduler_info()["workers"])
    assert workers_used == 2
    # same candidates, same seeds: the cluster reproduces the in-process search exactly
    np.testing.assert_array_equal(
        local.cv_results_["mean_test_score"], remote.cv_results_["mean_test_score"]
    )
    # the refit best estimator came back from a worker (pickled Keras model) and predicts
    assert remote.best_estimator_.predict(X).shape == y.shape
