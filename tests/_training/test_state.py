"""A failed fit changes nothing: a fitted estimator predicts as before, an unfitted one stays
unfitted, whatever stopped the fit (divergence, an error, Ctrl-C)."""

import copy

import numpy as np
import pytest

from skdeep import ANNClassifier, CNNClassifier
from skdeep._training import _engines, _phases
from skdeep.exceptions import NotFittedError, TrainingDivergedError


def _failing_train(kind):
    real = _phases.train

    def train(model, data, head, settings, **kwargs):
        real(model, data, head, settings, **kwargs)  # the weights have moved
        if kind == "interrupt":
            raise KeyboardInterrupt
        raise RuntimeError("disk full while logging")

    return train


def _fail(est, X, y, kind, monkeypatch):
    if kind == "diverged":
        est.set_params(optimizer="sgd", learning_rate=1e20)
        with pytest.raises(TrainingDivergedError):
            est.fit(X, y)
        return
    monkeypatch.setattr(_phases, "train", _failing_train(kind))
    with pytest.raises(KeyboardInterrupt if kind == "interrupt" else RuntimeError):
        est.fit(X, y)
    monkeypatch.undo()


KINDS = ["diverged", "exception", "interrupt"]


@pytest.mark.parametrize("kind", KINDS)
def test_failed_refit_keeps_the_fitted_network_and_its_record(binary_data, kind, monkeypatch):
    X, y = binary_data
    est = ANNClassifier(epochs=3, random_state=0, early_stopping=True).fit(X, y)
    before = est.predict_proba(X)
    state = copy.deepcopy({k: v for k, v in vars(est).items() if k != "model_"})
    model = est.model_
    _fail(est, X, y, kind, monkeypatch)
    assert est.model_ is model
    np.testing.assert_array_equal(est.predict_proba(X), before)
    after = {k: v for k, v in vars(est).items() if k != "model_"}
    assert after.keys() == state.keys()
    assert est.history_ == state["history_"] and est.n_epochs_ == state["n_epochs_"]
    np.testing.assert_array_equal(est.classes_, state["classes_"])


@pytest.mark.parametrize("kind", KINDS)
def test_failed_first_fit_leaves_the_estimator_unfitted(binary_data, kind, monkeypatch):
    X, y = binary_data
    est = ANNClassifier(epochs=2, random_state=0)
    _fail(est, X, y, kind, monkeypatch)
    assert not [k for k in vars(est) if k.endswith("_")]
    with pytest.raises(NotFittedError):
        est.predict(X)


@pytest.mark.parametrize("kind", ["exception", "interrupt"])
def test_failed_warm_start_restores_the_weights_it_was_training(binary_data, kind, monkeypatch):
    X, y = binary_data
    est = ANNClassifier(epochs=2, warm_start=True, random_state=0).fit(X, y)
    before, n_epochs = est.predict_proba(X), est.n_epochs_
    _fail(est, X, y, kind, monkeypatch)
    np.testing.assert_array_equal(est.predict_proba(X), before)
    assert est.n_epochs_ == n_epochs == len(est.history_["loss"])
    est.fit(X, y)  # and it still continues normally
    assert est.n_epochs_ == n_epochs + 2


def test_a_failed_fit_gives_its_compiled_models_back(binary_data, monkeypatch):
    X, y = binary_data
    empty = _engines.EnginePool()
    with pytest.MonkeyPatch.context() as patch:  # _fail undoes ``monkeypatch``
        patch.setattr(_engines, "POOL", empty)
        _a_failed_fit_gives_its_compiled_models_back(X, y, monkeypatch)


def _a_failed_fit_gives_its_compiled_models_back(X, y, monkeypatch):
    est = CNNClassifier(n_blocks=1, filters=4, dense_units=8, epochs=1, random_state=0)
    _fail(est, X, y, "exception", monkeypatch)
    assert len(_engines.POOL) == 1
    assert _engines.POOL.owned_by(est) == []
    est.fit(X, y)  # reuses the engine the failed fit compiled
    assert len(_engines.POOL) == 1 and len(_engines.POOL.owned_by(est)) == 1


def test_a_refit_never_trains_in_the_network_it_replaces(binary_data, pool):
    # an empty pool: the only free engine of the architecture is the replaced network's
    X, y = binary_data
    est = ANNClassifier(epochs=2, random_state=0).fit(X, y)
    first = est.model_
    est.set_params(random_state=1).fit(X, y)
    assert est.model_ is not first  # trained elsewhere, then swapped in
    third = est.set_params(random_state=2).fit(X, y).model_
    assert third is first  # the replaced network went back to the pool and is reused
