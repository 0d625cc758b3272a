"""est.save is atomic: a failure part-way leaves the previous file untouched and no partial
or empty file (issue 16, finding 3)."""

import builtins
import errno
import io

import numpy as np
import pytest

import skdeep
from skdeep import ANNClassifier


@pytest.fixture(scope="module")
def fitted(binary_data):
    X, y = binary_data
    first = ANNClassifier(epochs=1, n_layers=1, units=4, random_state=0).fit(X, y)
    second = ANNClassifier(epochs=1, n_layers=1, units=6, random_state=1).fit(X, y)
    return first, second, X


class _FailingFile:
    """A file that takes ``budget`` bytes, then raises ``error`` (a disk filling up)."""

    def __init__(self, raw, budget, error):
        self.raw, self.budget, self.error = raw, budget, error

    def write(self, data):
        if self.budget < len(data):
            self.raw.write(bytes(data[: self.budget]))  # the part that fits
            self.budget = 0
            raise self.error
        self.budget -= len(data)
        return self.raw.write(data)

    def __getattr__(self, name):
        return getattr(self.raw, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.raw.close()


def _fail_writes_in(folder, monkeypatch, *, budget, error):
    """Every file opened for writing in ``folder`` fails after ``budget`` bytes."""
    real_open = builtins.open

    def fake_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        if any(m in mode for m in "wax+") and str(file).startswith(str(folder)):
            return _FailingFile(handle, budget, error)
        return handle

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_open)


@pytest.mark.parametrize(
    "error",
    [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
    ids=["disk-full", "ctrl-c"],
)
@pytest.mark.parametrize("budget", [0, 600, 3000], ids=["at-once", "early", "late"])
def test_a_failed_save_keeps_the_previous_file(fitted, tmp_path, monkeypatch, error, budget):
    first, second, X = fitted
    target = first.save(tmp_path / "model.skdeep")
    good = target.read_bytes()
    _fail_writes_in(tmp_path, monkeypatch, budget=budget, error=error)
    with pytest.raises(type(error)):
        second.save(target)
    monkeypatch.undo()
    assert target.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.skdeep"]
    np.testing.assert_array_equal(skdeep.load(target).predict_proba(X), first.predict_proba(X))


@pytest.mark.parametrize(
    "error", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()]
)
def test_a_failed_save_to_a_new_path_leaves_no_file(fitted, tmp_path, monkeypatch, error):
    _fail_writes_in(tmp_path, monkeypatch, budget=1000, error=error)
    with pytest.raises(type(error)):
        fitted[0].save(tmp_path / "new.skdeep")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_saving_the_network_keeps_the_previous_file(fitted, tmp_path, monkeypatch):
    first, second, _ = fitted
    target = first.save(tmp_path / "model.skdeep")
    good = target.read_bytes()

    def broken(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(second.model_, "save", broken)
    with pytest.raises(KeyboardInterrupt):
        second.save(target)
    assert target.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.skdeep"]


def test_a_successful_save_replaces_the_file(fitted, tmp_path):
    first, second, X = fitted
    target = first.save(tmp_path / "model.skdeep")
    second.save(target)
    np.testing.assert_array_equal(skdeep.load(target).predict_proba(X), second.predict_proba(X))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.skdeep"]
