"""Packaging behaviour: backend errors, import cost, the builder/estimator contract."""

import os
import subprocess
import sys

import pytest


def _python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **env},
        timeout=120,
    )


def test_missing_backend_says_what_to_install():
    pytest.importorskip("tensorflow")
    try:
        import jax  # noqa: F401

        pytest.skip("jax is installed here")
    except ImportError:
        pass
    result = _python("import skdeep", KERAS_BACKEND="jax")
    assert result.returncode != 0
    assert "pip install jax" in result.stderr and "KERAS_BACKEND" in result.stderr


def test_import_does_not_load_optional_heavy_modules():
    code = (
        "import sys, skdeep; "
        "print(','.join(m for m in ('skopt', 'dask', 'distributed', 'skdeep.plotting') "
        "if m in sys.modules))"
    )
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_import_leaves_keras_pickling_as_keras_defines_it():
    # scikeras rebinds keras.Model.__reduce__/__deepcopy__ for the whole process on import;
    # skdeep must not (nor load scikeras at all)
    code = (
        "import keras\n"
        "names = [(keras.Model, '__reduce__'), (keras.Model, '__deepcopy__'),\n"
        "         (keras.losses.Loss, '__reduce__'), (keras.metrics.Metric, '__reduce__'),\n"
        "         (keras.optimizers.Optimizer, '__reduce__')]\n"
        "before = [getattr(cls, name, None) for cls, name in names]\n"
        "import sys, skdeep, skdeep.model_selection, skdeep.evaluation\n"
        "from skdeep import ANNClassifier, KerasClassifier\n"
        "after = [getattr(cls, name, None) for cls, name in names]\n"
        "print(all(a is b for a, b in zip(before, after)), 'scikeras' in sys.modules)"
    )
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]


def test_import_does_not_load_the_search_package():
    result = _python(
        "import sys, skdeep; skdeep.ANNClassifier; print('skdeep.model_selection' in sys.modules)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_one_family_registry_names_every_public_estimator():
    import skdeep
    from skdeep._families import FAMILIES, estimator_class
    from skdeep.estimators import ESTIMATORS

    public = {name for name in skdeep.__all__ if name.endswith(("Classifier", "Regressor"))}
    assert set(FAMILIES.values()) == public
    assert {cls.__name__ for cls in ESTIMATORS.values()} == public
    assert all(estimator_class(name) is cls for name, cls in ESTIMATORS.items())
