"""Every ``Examples`` section of skdeep's docstrings runs and prints what it shows (slow: the
estimators' examples train networks)."""

import doctest
import importlib
import pkgutil

import pytest

import skdeep

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(skdeep.__path__, "skdeep.")
    if not info.name.endswith("__main__")
)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _examples(name):
    return [t for t in doctest.DocTestFinder().find(importlib.import_module(name)) if t.examples]


def test_the_public_api_has_examples_to_run():
    documented = {t.name.rsplit(".", 1)[-1] for name in MODULES for t in _examples(name)}
    assert {"ANNClassifier", "KerasClassifier", "load", "cross_validate_study"} <= documented


@pytest.mark.slow
@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, monkeypatch, tmp_path):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)  # an example that writes a file writes it here
    failures = []
    for test in _examples(name):
        runner = doctest.DocTestRunner(optionflags=FLAGS)
        runner.run(test, out=failures.append)
    assert not failures, "".join(failures)
