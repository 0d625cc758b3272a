"""skdeep.load never runs code from the file, never sets what the file should not set, and
refuses oversized files before reading them (issue 16, finding 1)."""

import ast
import functools
import shutil
import sys
import tracemalloc
import uuid
import zipfile

import keras
import numpy as np
import pytest
from _saved_files import (
    keras_members,
    members,
    rewrite,
    set_fitted,
    set_param,
    write_members,
    zip_bytes,
)

import skdeep
from skdeep import ANNClassifier, CNNClassifier
from skdeep._persistence import _archive, audit
from skdeep.exceptions import DataError


@pytest.fixture(scope="module")
def saved(tmp_path_factory, binary_data):
    """A binary ANN with string labels, an SGD instance and a sampler, saved once."""
    from imblearn.under_sampling import RandomUnderSampler

    X, y = binary_data
    labels = np.array(["no", "yes"])[y]
    est = ANNClassifier(
        epochs=2,
        n_layers=1,
        units=8,
        optimizer=keras.optimizers.SGD(momentum=0.5),
        sampler=RandomUnderSampler(random_state=0),
        early_stopping=True,
        random_state=0,
    ).fit(X, labels)
    return est, est.save(tmp_path_factory.mktemp("saved") / "m.skdeep"), X


@pytest.fixture
def path(saved, tmp_path):
    return shutil.copy(saved[1], tmp_path / "m.skdeep")


# ---------------------------------------------------------------------------- the attack
@pytest.mark.parametrize(
    "callable_, params",
    [
        ("imblearn.utils.testing:import_module", {"name": "HELPERS"}),
        ("imblearn.datasets._zenodo:urlopen", {"url": "file:///etc/hostname"}),
        ("imblearn.datasets._zenodo:makedirs", {"name": "MADE"}),
    ],
    ids=["import_module", "urlopen", "makedirs"],
)
def test_an_edited_sampler_cannot_run_code(path, tmp_path, monkeypatch, callable_, params):
    # a helpers.py beside the model, importable (the user's script runs from that folder)
    module = f"helpers_{uuid.uuid4().hex}"
    marker = tmp_path / "executed"
    (tmp_path / f"{module}.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    params = {
        k: module if v == "HELPERS" else str(tmp_path / "made") if v == "MADE" else v
        for k, v in params.items()
    }
    rewrite(path, edit_meta=set_param("sampler", {"__sampler__": callable_, "params": params}))
    for read in (skdeep.load, audit):
        with pytest.raises(DataError, match=f"not an allowed sampler class.*{callable_}"):
            read(path)
    assert not marker.exists() and module not in sys.modules
    assert not (tmp_path / "made").exists()


_SMOTE = "imblearn.over_sampling._smote.base:SMOTE"


@pytest.mark.parametrize(
    "sampler, match",
    [
        ({"__sampler__": "imblearn.base:FunctionSampler", "params": {}}, "not an allowed sampler"),
        ({"__sampler__": "imblearn.utils.testing:Path", "params": {}}, "not an allowed sampler"),
        (
            {"__sampler__": "imblearn.over_sampling._smote.base:SMOTE", "params": {"bogus": 1}},
            "parameters imblearn.over_sampling.SMOTE does not take",
        ),
        (
            {
                "__sampler__": "imblearn.over_sampling._smote.base:SMOTE",
                "params": {"k_neighbors": -5},
            },
            "invalid parameter.*k_neighbors",
        ),
        (
            {
                "__sampler__": "imblearn.over_sampling._smote.base:SMOTE",
                "params": {"k_neighbors": {"module": "sklearn.neighbors", "class_name": "X"}},
            },
            "sampler.k_neighbors holds an object that is not allowed",
        ),
        (
            {
                "__sampler__": "imblearn.over_sampling._smote.base:SMOTE",
                "params": {"k_neighbors": {"__keras_optimizer__": {}}},
            },
            "sampler.k_neighbors holds an object that is not allowed",
        ),
        ({"__sampler__": ["imblearn"], "params": {}}, "not an allowed sampler class"),
        (
            {
                "__sampler__": "imblearn.over_sampling._smote.base:SMOTE",
                "params": {"sampling_strategy": {"__sampler__": _SMOTE, "params": {}}},
            },
            "invalid parameter.*sampling_strategy",
        ),
        ("imblearn.over_sampling.SMOTE", "invalid parameter.*sampler"),
    ],
)
def test_samplers_are_allowlisted_classes_with_plain_parameters(path, sampler, match):
    rewrite(path, edit_meta=set_param("sampler", sampler))
    with pytest.raises(DataError, match=match):
        skdeep.load(path)


def test_an_allowlisted_sampler_loads_as_that_class(path):
    from imblearn.over_sampling import SMOTE

    sampler = {
        "__sampler__": "imblearn.over_sampling._smote.base:SMOTE",
        "params": {"k_neighbors": 2},
    }
    rewrite(path, edit_meta=set_param("sampler", sampler))
    loaded = skdeep.load(path)
    assert type(loaded.sampler) is SMOTE and loaded.sampler.k_neighbors == 2


# ---------------------------------------------------------------------------- optimizer
_DENSE = {"module": "keras.layers", "class_name": "Dense", "config": {"units": 3}}
_SCHEDULE = {"module": "keras.optimizers.schedules", "class_name": "ExponentialDecay"}


@pytest.mark.parametrize(
    "entry, match",
    [
        (_DENSE, "not a built-in Keras optimizer"),
        ({**_DENSE, "module": "keras.optimizers"}, "names a class that is not a Keras optimizer"),
        (
            {"module": "keras.optimizers", "class_name": "LossScaleOptimizer", "config": {}},
            "not a Keras optimizer",
        ),
        (
            {
                "module": "keras.optimizers",
                "class_name": "SGD",
                "config": {"learning_rate": _DENSE},
            },
            "learning_rate is not a built-in Keras learning-rate schedule",
        ),
        (
            {
                "module": "keras.optimizers",
                "class_name": "SGD",
                "config": {"learning_rate": {**_DENSE, "module": "keras.optimizers.schedules"}},
            },
            "names a class that is not a Keras learning-rate schedule",
        ),
        (
            {
                "module": "keras.optimizers",
                "class_name": "SGD",
                "config": {"learning_rate": {**_SCHEDULE, "config": {"x": _DENSE}}},
            },
            "learning_rate has a config that is not plain values",
        ),
        (
            {"module": "keras.optimizers", "class_name": "SGD", "config": {"momentum": _DENSE}},
            "config value that is not a plain number",
        ),
        (
            {"module": "keras.optimizers", "class_name": "SGD", "config": {"bogus": 1}},
            "config does not fit keras.optimizers.SGD",
        ),
        (
            {"module": "os", "class_name": "system", "config": {}, "registered_name": "x"},
            "not a built-in Keras optimizer",
        ),
    ],
    ids=[
        "layer",
        "layer-named-as-optimizer",
        "wrapper",
        "layer-as-schedule",
        "layer-named-as-schedule",
        "schedule-with-object",
        "nested-object",
        "bad-config",
        "os",
    ],
)
def test_the_optimizer_entry_must_give_a_keras_optimizer(path, entry, match):
    rewrite(path, edit_meta=set_param("optimizer", {"__keras_optimizer__": entry}))
    with pytest.raises(DataError, match=match):
        skdeep.load(path)


def test_the_optimizer_round_trips_as_a_keras_optimizer(saved, path):
    optimizer = skdeep.load(path).optimizer
    assert type(optimizer) is keras.optimizers.SGD
    assert optimizer.get_config()["momentum"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    "schedule",
    [
        keras.optimizers.schedules.ExponentialDecay(1e-2, 10, 0.5),
        keras.optimizers.schedules.PiecewiseConstantDecay([10, 20], [0.1, 0.01, 0.001]),
        keras.optimizers.schedules.CosineDecay(0.1, 100, warmup_target=0.2, warmup_steps=5),
    ],
    ids=["exponential", "piecewise", "cosine-warmup"],
)
def test_an_optimizer_with_a_learning_rate_schedule_saves_and_loads(
    binary_data, tmp_path, schedule
):
    X, y = binary_data
    optimizer = keras.optimizers.SGD(learning_rate=schedule, momentum=0.5)
    est = ANNClassifier(epochs=2, optimizer=optimizer, random_state=0).fit(X, y)
    loaded = skdeep.load(est.save(tmp_path / "m.skdeep"))
    restored = loaded.optimizer._learning_rate  # the schedule object, not its current value
    assert type(restored) is type(schedule) and restored.get_config() == schedule.get_config()
    np.testing.assert_array_equal(loaded.predict_proba(X), est.predict_proba(X))
    # the schedule carries on from the saved step when training continues
    more = loaded.set_params(warm_start=True).fit(X, y)
    assert more.n_epochs_ == 4


# ---------------------------------------------------------------------------- fitted attributes
@pytest.mark.parametrize(
    "name, value, match",
    [
        ("classes_", {"__ndarray__": ["yes", "no"], "dtype": "<U3"}, "classes_ is not sorted"),
        ("classes_", {"__ndarray__": ["a", "b", "c"], "dtype": "<U1"}, "n_classes_"),
        ("classes_", {"__ndarray__": ["no"], "dtype": "<U2"}, "at least 2 labels"),
        ("classes_", {"__ndarray__": [[0], [1]], "dtype": "<i8"}, "not of its dtype"),
        ("classes_", {"__ndarray__": [0, 1], "dtype": "|V8"}, "dtype that is not allowed"),
        ("classes_", {"__ndarray__": ["a"] * 20, "dtype": "<U999999"}, "too large"),
        ("classes_", ["no", "yes"], "classes_ is invalid"),
        ("n_classes_", 3, "n_classes_ is invalid"),
        ("n_features_in_", 0, "n_features_in_ is invalid"),
        ("n_features_in_", 9, "input does not match n_features_in_"),
        ("n_epochs_", "2", "n_epochs_ is invalid"),
        ("best_epoch_", 7, "best_epoch_ is invalid"),
        ("history_", {"__dict__": [["loss", ["a", "b"]]]}, r"history_\['loss'\] is invalid"),
        ("history_", {"__dict__": [["loss", [1.0] * 9]]}, r"at most n_epochs_=2"),
        ("history_", {"__dict__": [["loss", [float("inf")]]]}, r"history_\['loss'\] is invalid"),
        ("class_weight_", {"__dict__": [["maybe", 1.0]]}, "class_weight_ is invalid"),
        ("feature_names_in_", {"__ndarray__": ["a"], "dtype": "|O"}, "feature_names_in_"),
        ("predict_proba", "not a method", "fitted attributes this estimator does not have"),
        ("model_", None, "fitted attributes this estimator does not have"),
        ("__class__", None, "fitted attributes this estimator does not have"),
        ("classes_", ..., "lacks fitted attributes.*classes_"),
    ],
)
def test_fitted_attributes_are_allowlisted_and_checked(path, name, value, match):
    rewrite(path, edit_meta=set_fitted(name, value))
    with pytest.raises(DataError, match=match):
        skdeep.load(path)


def test_a_wrong_length_classes_is_caught_against_the_network(saved, tmp_path):
    """Three labels and n_classes_=3 agree with each other, not with the 1-unit network."""
    path = shutil.copy(saved[1], tmp_path / "m.skdeep")

    def three_classes(m):
        m["fitted"]["classes_"] = {"__ndarray__": ["a", "b", "c"], "dtype": "<U1"}
        m["fitted"]["n_classes_"] = 3
        return m

    rewrite(path, edit_meta=three_classes)
    with pytest.raises(DataError, match="outputs do not match classes_.*3 output unit"):
        skdeep.load(path)


def test_image_shape_must_match_the_network(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, (20, 6, 6), dtype=np.uint8)
    est = CNNClassifier(epochs=1, n_blocks=1, filters=2, dense_units=4).fit(images, [0, 1] * 10)
    path = est.save(tmp_path / "c.skdeep")
    rewrite(path, edit_meta=set_fitted("image_shape_", {"__tuple__": [4, 9, 1]}))
    with pytest.raises(DataError, match="input does not match image_shape_"):
        skdeep.load(path)
    rewrite(path, edit_meta=set_fitted("image_shape_", {"__tuple__": [6, 7, 1]}))
    with pytest.raises(DataError, match="image_shape_ is invalid"):
        skdeep.load(path)


@pytest.mark.parametrize(
    "name, value, match",
    [
        ("predict", "x", "parameters ANNClassifier does not take.*predict"),
        ("epochs", -1, "invalid parameter.*epochs"),
        ("units", {"__ndarray__": [1], "dtype": "<i8"}, "params.units holds an object"),
        ("class_weight", {"__sampler__": "x", "params": {}}, "params.class_weight holds an object"),
        ("activation", {"evil": 1}, "params.activation holds an object"),
        ("units", {"__tuple__": "x"}, "malformed __tuple__"),
    ],
)
def test_unknown_parameters_and_invalid_values_are_refused(path, name, value, match):
    rewrite(path, edit_meta=set_param(name, value))
    with pytest.raises(DataError, match=match):
        skdeep.load(path)


# ---------------------------------------------------------------------------- the Keras file
def test_classes_from_outside_keras_are_refused_before_keras_sees_them(saved, path, monkeypatch):
    inner = keras_members(path)
    config = inner["config.json"].decode().replace('"module": "keras.layers"', '"module": "os"', 1)
    rewrite(path, model=zip_bytes({**inner, "config.json": config.encode()}))

    def never(*args, **kwargs):
        raise AssertionError("Keras was asked to load the file")

    monkeypatch.setattr(keras.saving, "load_model", never)
    with pytest.raises(DataError, match="class outside Keras.*module='os'"):
        skdeep.load(path)


def test_the_network_is_loaded_with_keras_safe_mode(path, monkeypatch):
    calls = []
    load_model = keras.saving.load_model

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return load_model(*args, **kwargs)

    monkeypatch.setattr(keras.saving, "load_model", spy)
    skdeep.load(path)
    assert [c.get("safe_mode") for c in calls] == [True]


def _replace_weights(path, tmp_path, edit) -> None:
    """Rewrite model.weights.h5 with ``edit(h5py.File)``, keeping the rest of the file."""
    import h5py

    inner = keras_members(path)
    weights = tmp_path / "weights.h5"
    weights.write_bytes(inner["model.weights.h5"])
    with h5py.File(weights, "r+") as store:
        edit(store)
    rewrite(path, model=zip_bytes({**inner, "model.weights.h5": weights.read_bytes()}))


def test_weights_cannot_read_other_files_of_the_machine(saved, path, tmp_path):
    """An HDF5 dataset stored "externally" would fill a bias with the bytes of any file (Keras
    3.15 also refuses it, after building the network; skdeep refuses it before)."""
    est = saved[0]
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"password=hunter2" * 2)  # 8 float32 values
    n = est.model_.layers[1].get_weights()[1].size  # the first Dense layer's bias

    def external(store):
        del store["layers/dense/vars/1"]
        store.create_dataset(
            "layers/dense/vars/1", shape=(n,), dtype="float32", external=[(str(secret), 0, 4 * n)]
        )

    _replace_weights(path, tmp_path, external)
    with pytest.raises(DataError, match="dataset stored outside the file"):
        skdeep.load(path)


def test_an_hdf5_bomb_in_the_weights_is_refused(path, tmp_path):
    def bomb(store):  # 400 MB of declared zeros in a few kilobytes
        store.create_dataset(
            "layers/dense/vars/9",
            shape=(100_000_000,),
            dtype="float32",
            chunks=(1_000_000,),
            compression="gzip",
        )

    _replace_weights(path, tmp_path, bomb)
    with pytest.raises(DataError, match="declares far more data than it holds"):
        skdeep.load(path)


def test_weights_may_not_link_to_other_files(path, tmp_path):
    import h5py

    def link(store):
        store["layers/dense/vars/8"] = h5py.ExternalLink(str(tmp_path / "other.h5"), "/x")

    _replace_weights(path, tmp_path, link)
    with pytest.raises(DataError, match="links outside itself"):
        skdeep.load(path)


# ---------------------------------------------------------------------------- sizes
def _bomb(path, tmp_path, *, name="model.keras", mib=400) -> None:
    """Replace a member by ``mib`` MiB of zeros, deflated (about 1000:1), written in chunks."""
    content = {k: v for k, v in members(path).items() if k != name}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, data in content.items():
            archive.writestr(key, data)
        with archive.open(name, "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(mib):
                member.write(chunk)


def test_a_zip_bomb_is_refused_from_the_directory_alone(path, tmp_path, monkeypatch):
    _bomb(path, tmp_path)  # the case: about 400 KB on disk, 400 MB inflated
    assert path.stat().st_size < 1 << 20

    def never(*args, **kwargs):
        raise AssertionError("a member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match="model.keras' inflates like a zip bomb"):
            skdeep.load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20


def test_a_zip_bomb_inside_the_keras_file_is_refused(path, tmp_path):
    inner = keras_members(path)
    bomb = tmp_path / "inner.keras"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, data in inner.items():
            if key != "config.json":
                archive.writestr(key, data)
        with archive.open("config.json", "w") as member:
            for _ in range(64):
                member.write(bytes(1 << 20))
    rewrite(path, model=bomb.read_bytes())
    with pytest.raises(DataError, match="model.keras member 'config.json' is too large|zip bomb"):
        skdeep.load(path)


def test_sizes_are_capped(path, monkeypatch):
    monkeypatch.setattr(_archive, "LIMITS", _archive.Limits(json_bytes=1000))
    with pytest.raises(DataError, match="'estimator.json' is too large. Expected at most 1000"):
        skdeep.load(path)
    monkeypatch.setattr(_archive, "LIMITS", _archive.Limits(keras_config_bytes=1000))
    with pytest.raises(DataError, match="'config.json' is too large. Expected at most 1000"):
        skdeep.load(path)


def test_a_directory_of_millions_of_entries_is_refused_before_parsing(path, tmp_path):
    many = {f"{i}": b"" for i in range(_archive.LIMITS.members + 1)}
    write_members(path, {**members(path), **many})
    with pytest.raises(DataError, match="has too many members"):
        skdeep.load(path)


# ---------------------------------------------------------------------------- hashes
def test_members_are_checked_against_their_sha256(path):
    # a valid edit (another activation) that keeps the JSON valid but not the hash
    rewrite(path, edit_meta=set_param("activation", "tanh"), rehash=False)
    with pytest.raises(DataError, match="estimator.json does not match the hash recorded"):
        skdeep.load(path)
    content = members(path)
    manifest = content["manifest.json"].decode()
    content["model.keras"] = content["model.keras"][:-1] + bytes([content["model.keras"][-1] ^ 1])
    write_members(path, {**content, "manifest.json": manifest.encode()}, rehash=False)
    with pytest.raises(DataError, match="does not match the hash recorded"):
        skdeep.load(path)


# ---------------------------------------------------------------------------- audit
def test_audit_reports_what_loading_would_create(saved, path):
    est, _, _ = saved
    report = audit(path)
    assert report["class"] == "skdeep.ANNClassifier"
    assert report["format_version"] == 2
    assert report["sampler"] == "imblearn.under_sampling.RandomUnderSampler"
    assert report["params"]["sampler"]["params"]["random_state"] == 0
    assert report["optimizer"] == "keras.optimizers.SGD"
    assert report["params"]["optimizer"]["config"]["momentum"] == pytest.approx(0.5)
    assert report["params"]["epochs"] == 2
    assert report["fitted"] == sorted(
        ["classes_", "n_classes_", "n_features_in_", "history_", "n_epochs_", "best_epoch_"]
        + ["class_weight_"]
    )
    assert report["keras_layers"] == {"Activation": 1, "Dense": 2, "InputLayer": 1}
    assert "keras.layers.Dense" in report["keras_objects"] and report["custom_objects"] == []
    assert report["input_shapes"] == [[None, 8]]
    assert report["versions"]["skdeep"] == skdeep.__version__
    assert report["versions"]["keras"] == keras.__version__
    assert all(f["verified"] for f in report["files"].values())


def test_audit_builds_nothing(path, monkeypatch):
    from imblearn.under_sampling import RandomUnderSampler

    def never(function):
        @functools.wraps(function)  # keeps the signature scikit-learn reads parameters from
        def refuse(*args, **kwargs):
            raise AssertionError(f"audit called {function.__qualname__}")

        return refuse

    monkeypatch.setattr(keras.saving, "load_model", never(keras.saving.load_model))
    monkeypatch.setattr(
        keras.optimizers.SGD, "from_config", never(keras.optimizers.SGD.from_config)
    )
    monkeypatch.setattr(RandomUnderSampler, "__init__", never(RandomUnderSampler.__init__))
    monkeypatch.setattr(ANNClassifier, "__init__", never(ANNClassifier.__init__))
    assert audit(path)["class"] == "skdeep.ANNClassifier"
    with pytest.raises(AssertionError, match="audit called"):
        skdeep.load(path)


def test_audit_imports_nothing_beyond_skdeep_keras_and_imblearn(saved, tmp_path):
    import subprocess

    code = (
        "import sys, skdeep\n"
        "from skdeep._persistence import audit\n"
        # the sampler allowlist is read from these (they import what they import)
        "import imblearn.over_sampling, imblearn.under_sampling, imblearn.combine\n"
        "before = set(sys.modules)\n"
        f"audit({str(saved[1])!r})\n"
        "print(sorted({m.split('.')[0] for m in set(sys.modules) - before}))\n"
        "import gc; gc.freeze()\n"  # the exit's last collection would walk TensorFlow's objects
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    ).stdout
    new = set(ast.literal_eval(out.strip().splitlines()[-1])) - sys.stdlib_module_names
    assert new <= {"skdeep", "keras"}
