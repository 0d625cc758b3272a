"""Packaging behaviour: backend errors, import cost, the builder/estimator contract."""

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

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
    if importlib.util.find_spec("jax") is not None:
        pytest.skip("jax is installed here")
    result = _python("import skdeep", KERAS_BACKEND="jax")
    assert result.returncode != 0
    assert "pip install jax" in result.stderr and "KERAS_BACKEND" in result.stderr


def test_one_family_registry_names_every_public_estimator():
    import skdeep
    from skdeep._families import FAMILIES, REGRESSORS, estimator_class
    from skdeep.estimators import ESTIMATORS

    public = {name for name in skdeep.__all__ if name.endswith(("Classifier", "Regressor"))}
    assert set(ESTIMATORS) == public and all(ESTIMATORS[n].__name__ == n for n in public)
    # the command line's families: every one but the user's own network (it needs code)
    families = set(FAMILIES.values()) | set(REGRESSORS.values())
    assert families == public - {"KerasClassifier", "KerasRegressor"}
    assert all(estimator_class(name) is ESTIMATORS[FAMILIES[name]] for name in FAMILIES)


# ---------------------------------------------------------------- lazy import, backend set-up
SKDEEP = Path(__file__).resolve().parents[1] / "skdeep"


def _imports_keras(tree) -> list[int]:
    """Line numbers of every ``import keras``/``tensorflow`` statement (anywhere)."""
    lines = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        if any(n.split(".")[0] in ("keras", "tensorflow") for n in names):
            lines.append(node.lineno)
    return lines


def _guarded_in_function(tree, lines: list[int]) -> bool:
    """Every Keras import sits in a function that imports skdeep._keras before it."""
    for line in lines:
        functions = [
            f
            for f in ast.walk(tree)
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
            and f.lineno <= line <= f.end_lineno
        ]
        setup = [
            n.lineno
            for f in functions
            for n in ast.walk(f)
            if isinstance(n, ast.ImportFrom) and "_keras" in [a.name for a in n.names]
        ]
        if not any(s < line for s in setup):
            return False
    return True


def _sets_up_keras_first(tree) -> bool:
    """The module's first import (after ``__future__``) is skdeep._keras."""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names]
            module = getattr(node, "module", None) or ""
            return "_keras" in names or module.endswith("_keras")
    return False


def test_every_module_using_keras_sets_up_the_backend_first():
    """Keras is configured (thread limits, JAX flags, quiet start-up) before any skdeep module
    uses it, whichever module a user imports first: ``import skdeep`` itself does not."""
    unguarded = []
    for path in sorted(SKDEEP.rglob("*.py")):
        if path.name in ("_backend.py", "_keras.py"):
            continue
        tree = ast.parse(path.read_text())
        lines = _imports_keras(tree)
        if not lines or _guarded_in_function(tree, lines):
            continue
        packages = [p / "__init__.py" for p in path.parents if p == SKDEEP or SKDEEP in p.parents]
        guards = [tree, *(ast.parse(p.read_text()) for p in packages)]
        if not any(_sets_up_keras_first(g) for g in guards):
            unguarded.append(str(path.relative_to(SKDEEP)))
    assert unguarded == []


#: The one module for private scikit-learn names, and the one touching Keras internals.
PRIVATE_IMPORTS = {"sklearn": "utils/_compat.py", "keras": "_training/_seeding.py"}


def _private_imports(tree: ast.AST) -> set[str]:
    """The libraries of which ``tree`` imports a private module or name."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
            private_name = any(a.name.startswith("_") for a in node.names)
        elif isinstance(node, ast.Import):
            modules, private_name = [a.name for a in node.names], False
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] in PRIVATE_IMPORTS and (
                private_name or any(p.startswith("_") or p == "src" for p in parts[1:])
            ):
                found.add(parts[0])
    return found


def test_private_library_names_are_imported_in_one_module_each():
    assert _private_imports(ast.parse("from sklearn.utils import _safe_indexing")) == {"sklearn"}
    assert _private_imports(ast.parse("import keras.src.random")) == {"keras"}
    assert not _private_imports(ast.parse("from sklearn.base import clone\nimport keras"))
    where = {
        library: sorted(
            str(path.relative_to(SKDEEP))
            for path in SKDEEP.rglob("*.py")
            if library in _private_imports(ast.parse(path.read_text()))
        )
        for library in PRIVATE_IMPORTS
    }
    assert where == {library: [module] for library, module in PRIVATE_IMPORTS.items()}


#: One fresh interpreter for the tests below, in a user's order: ``import skdeep`` and the
#: command line (light), then the first module that uses Keras, then the public names, the
#: searches and the evaluation. It ends with ``gc.freeze()``: Python's last collection over
#: TensorFlow's objects would take as long as the rest of the script's work.
FIRST_IMPORTS = """
import gc, json, os, sys, skdeep, skdeep.cli
heavy = [m for m in ('keras', 'tensorflow', 'sklearn', 'pandas') if m in sys.modules]
import skdeep.builders, tensorflow as tf
threads = tf.config.threading.get_intra_op_parallelism_threads()
level = os.environ['TF_CPP_MIN_LOG_LEVEL']
from skdeep import ANNClassifier, KerasClassifier, load
search = 'skdeep.model_selection' in sys.modules
import skdeep.evaluation, skdeep.model_selection
import keras
def defined_by(cls, name):  # the top package of the function cls.name runs (None: no such)
    owner = next((k for k in cls.__mro__ if name in vars(k)), None)
    if owner is None:
        return None
    return getattr(vars(owner)[name], '__module__', owner.__module__).split('.')[0]
pickling = {
    f'{cls.__name__}.{name}': defined_by(cls, name)
    for cls in (keras.Model, keras.losses.Loss, keras.metrics.Metric, keras.optimizers.Optimizer)
    for name in ('__reduce__', '__deepcopy__')
}
optional = ('scikeras', 'skopt', 'dask', 'distributed', 'skdeep.plotting')  # Keras loads matplotlib
print(json.dumps(dict(
    heavy=heavy, keras='keras' in sys.modules, search=search, names=sorted(skdeep.__all__),
    metrics=skdeep.metrics.__name__, module=ANNClassifier.__module__, threads=threads,
    level=level, pickling=pickling, optional=[m for m in optional if m in sys.modules],
)))
gc.freeze()
"""


@pytest.fixture(scope="module")
def first_imports():
    pytest.importorskip("tensorflow")
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env.update(OMP_NUM_THREADS="1", SKDEEP_NUM_THREADS="3", KERAS_BACKEND="tensorflow")
    result = subprocess.run(
        [sys.executable, "-c", FIRST_IMPORTS], capture_output=True, text=True, env=env,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def test_import_skdeep_and_the_cli_load_no_keras_and_public_names_still_work(first_imports):
    """Nor does an estimator load the search package (no import pointing up the layers)."""
    found, _ = first_imports
    assert found["heavy"] == [] and found["keras"] and not found["search"]
    assert found["names"] == [
        "ANNClassifier",
        "ANNRegressor",
        "CNNClassifier",
        "CNNRegressor",
        "KerasClassifier",
        "KerasRegressor",
        "TransferClassifier",
        "__version__",
        "audit",
        "load",
    ]
    assert found["metrics"] == "skdeep.metrics"
    assert found["module"] == "skdeep.estimators._ann"


def test_import_leaves_keras_pickling_as_keras_defines_it(first_imports):
    """scikeras rebinds keras.Model.__reduce__/__deepcopy__ for the whole process on import;
    skdeep does not (nor loads scikeras, or any optional heavy module, by being used)."""
    found, _ = first_imports
    assert len(found["pickling"]) == 8  # 4 classes x 2 methods, each Keras' own or none
    assert set(found["pickling"].values()) <= {"keras", "builtins", None}
    assert found["optional"] == []


def test_importing_a_keras_module_first_sets_up_the_backend_quietly(first_imports):
    """``import skdeep.builders`` (no ``import skdeep`` set-up any more): the thread limit
    applies (``SKDEEP_NUM_THREADS`` over ``OMP_NUM_THREADS``, which the loky workers of
    tests/test_parallel.py get alone), and TensorFlow's native start-up lines stay off
    stderr."""
    found, stderr = first_imports
    assert (found["threads"], found["level"]) == (3, "2")
    for line in ("absl::InitializeLog", "cpu_feature_guard", "oneDNN custom operations"):
        assert line not in stderr


def test_unknown_attribute_is_an_attribute_error():
    import skdeep

    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        skdeep.nope  # noqa: B018


def test_native_stderr_filter_keeps_what_the_level_shows():
    code = (
        "import os, sys\n"
        "from skdeep._backend import _filtered_native_stderr\n"
        "with _filtered_native_stderr(2):\n"
        "    os.write(2, b'WARNING: All log messages before absl::InitializeLog() is called\\n')\n"
        "    os.write(2, b'I0000 00:00:1796.5   31 port.cc:153] oneDNN custom operations\\n')\n"
        "    os.write(2, b'W0000 00:00:1796.6   31 x.cc:1] a warning\\n')\n"
        "    os.write(2, b'E0000 00:00:1796.7   31 cuda.cc:9] a real error\\n')\n"
        "    print('a Python warning', file=sys.stderr)\n"
        "print('after', file=sys.stderr)\n"
    )
    result = _python(code)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "E0000 00:00:1796.7   31 cuda.cc:9] a real error",
        "a Python warning",
        "after",
    ]
