"""Parallel and distributed searches: per-worker threads, pickling to remote workers, dask."""

import csv
import os

import keras
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
    from joblib.externals.loky import process_executor

    threads = tf.config.threading.get_intra_op_parallelism_threads()
    return threads, process_executor._MAX_MEMORY_LEAK_SIZE


@pytest.mark.parametrize(
    "value, limit",
    [("", 100 * 2**20), ("250", 250 * 2**20), ("0", None), ("off", None), ("junk", 100 * 2**20)],
)
def test_the_worker_memory_bound_is_set_by_an_environment_variable(monkeypatch, value, limit):
    from skdeep._workers import worker_memory_limit

    monkeypatch.setenv("SKDEEP_WORKER_MEMORY_MB", value)
    assert worker_memory_limit() == limit


def test_the_planned_replacement_of_a_worker_is_not_reported_as_a_leak():
    import warnings

    from skdeep._workers import quiet_replaced_workers

    loky_text = (
        "A worker stopped while some jobs were given to the executor. This can be caused by a "
        "too short worker timeout or by a memory leak."
    )
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        quiet_replaced_workers()  # what importing skdeep's Keras set-up does in a main process
        warnings.warn(loky_text, UserWarning, stacklevel=1)
        warnings.warn("any other warning", UserWarning, stacklevel=1)
    assert [str(w.message) for w in seen] == ["any other warning"]


def test_a_search_in_joblib_workers_matches_the_serial_search(binary_data, tmp_path):
    """The same scores with n_jobs=2 as with n_jobs=1; each fit writes its own log (the
    ``{fit}`` of a callback's file name); the workers have their share of the threads and
    skdeep's memory bound."""
    X, y = binary_data
    grid = {"units": [4, 8]}
    results = []
    for n in (1, 2):
        logger = keras.callbacks.CSVLogger(str(tmp_path / f"n_jobs={n}" / "{fit}.csv"))
        est = ANNClassifier(epochs=2, n_layers=1, dropout=0.2, callbacks=[logger], random_state=0)
        search = GridSearchCV(est, grid, cv=2, n_jobs=n).fit(X, y)
        results.append(search.cv_results_["mean_test_score"])
    np.testing.assert_allclose(results[0], results[1], atol=1e-12)
    logs = sorted((tmp_path / "n_jobs=2").iterdir())
    assert len(logs) == 2 * 2 + 1  # candidates x folds, and the refit
    assert all(len(list(csv.DictReader(p.open()))) == 2 for p in logs)
    if keras.backend.backend() != "tensorflow":
        pytest.skip("the thread share checked is TensorFlow's")
    found = Parallel(n_jobs=2)(delayed(_worker_threads)() for _ in range(2))  # same workers
    expected_threads = max(1, (os.cpu_count() or 1) // 2)  # loky's share: 1 on 2 cores
    # each worker is replaced once it has grown by SKDEEP_WORKER_MEMORY_MB (loky: 300 MB)
    assert found == [(expected_threads, 100 * 2**20)] * 2


def test_grid_search_on_a_dask_cluster(binary_data):
    distributed = pytest.importorskip("distributed")
    from joblib import parallel_config

    X, y = binary_data
    grid = {"units": [4, 8]}
    local = GridSearchCV(ANNClassifier(epochs=2, random_state=0), grid, cv=2).fit(X, y)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        with parallel_config(backend="dask"):
            remote = GridSearchCV(ANNClassifier(epochs=2, random_state=0), grid, cv=2, n_jobs=-1)
            remote.fit(X, y)
        workers_used = len(client.scheduler_info()["workers"])
    assert workers_used == 1
    # same candidates, same seeds: the cluster reproduces the in-process search exactly
    np.testing.assert_array_equal(
        local.cv_results_["mean_test_score"], remote.cv_results_["mean_test_score"]
    )
    # the refit best estimator came back from a worker (pickled Keras model) and predicts
    assert remote.best_estimator_.predict(X).shape == y.shape
