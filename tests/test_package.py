"""Packaging behaviour: backend errors, import cost, the builder/estimator contract."""

import inspect
import os
import subprocess
import sys

import pytest

from skdeep import ANNClassifier
from skdeep.builders import build_ann


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


@pytest.mark.parametrize("builder, estimator", [(build_ann, ANNClassifier)])
def test_every_builder_keyword_is_an_estimator_parameter(builder, estimator):
    keywords = set(inspect.signature(builder).parameters) - {"input_shape", "n_classes"}
    params = set(estimator().get_params())
    assert keywords <= params
    assert set(estimator()._builder_params()) == keywords


def test_one_family_registry_names_every_public_estimator():
    import skdeep
    from skdeep._families import FAMILIES, estimator_class
    from skdeep.estimators import ESTIMATORS

    public = {name for name in skdeep.__all__ if name.endswith(("Classifier", "Regressor"))}
    assert set(FAMILIES.values()) == public
    assert {cls.__name__ for cls in ESTIMATORS.values()} == public
    assert all(estimator_class(name) is cls for name, cls in ESTIMATORS.items())
