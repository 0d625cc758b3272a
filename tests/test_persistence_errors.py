"""Every damaged, truncated or hostile file raises DataError naming what is wrong (issue 16,
finding 2). A missing path stays FileNotFoundError."""

import json
import re
import shutil
import struct
import zipfile

import numpy as np
import pytest
from _saved_files import keras_members, members, write_members, zip_bytes

import skdeep
from skdeep import ANNClassifier
from skdeep._persistence import audit
from skdeep.exceptions import DataError


@pytest.fixture(scope="module")
def original(tmp_path_factory, binary_data):
    X, y = binary_data
    est = ANNClassifier(epochs=1, n_layers=1, units=4, early_stopping=True, random_state=0)
    return est.fit(X, y).save(tmp_path_factory.mktemp("original") / "m.skdeep")


def _data_offset(blob: bytes, name: str) -> tuple[int, int]:
    """(start, length) of a member's compressed bytes inside the zip ``blob``."""
    import io

    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        info = archive.getinfo(name)
    name_len, extra_len = struct.unpack_from("<HH", blob, info.header_offset + 26)
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


def _directory_start(path) -> int:
    blob = path.read_bytes()
    return struct.unpack_from("<L", blob, blob.rfind(b"PK\x05\x06") + 16)[0]


def _flip(path, at: int) -> None:
    blob = bytearray(path.read_bytes())
    blob[at] ^= 0xFF
    path.write_bytes(bytes(blob))


def _edit_json(name, edit):
    def mutate(path):
        content = members(path)
        content[name] = edit(json.loads(content[name]))
        if not isinstance(content[name], bytes):
            content[name] = json.dumps(content[name]).encode()
        write_members(path, content, rehash=name != "manifest.json")

    return mutate


def _set(name, key, value):
    def edit(document):
        document[key] = value
        return document

    return _edit_json(name, edit)


def _raw(name, data: bytes):
    def mutate(path):
        write_members(path, {**members(path), name: data}, rehash=name != "manifest.json")

    return mutate


def _drop(name):
    def mutate(path):
        write_members(path, {k: v for k, v in members(path).items() if k != name})

    return mutate


def _inner(edit):
    def mutate(path):
        write_members(path, {**members(path), "model.keras": edit(keras_members(path))})

    return mutate


def _cases():
    # truncated anywhere
    for fraction in (0.0, 0.001, 0.1, 0.5, 0.9, 0.99):
        yield (
            f"truncated-{fraction}",
            lambda p, f=fraction: p.write_bytes(p.read_bytes()[: int(len(p.read_bytes()) * f)]),
            "not a zip file|truncated|damaged",
        )
    yield "truncated-eocd", lambda p: p.write_bytes(p.read_bytes()[:-5]), "not a zip|truncated"
    # flipped bytes in each member's compressed data, and in the directory
    for name in ("manifest.json", "estimator.json", "model.keras"):
        for where in (0.0, 0.5):

            def flip(p, name=name, where=where):
                start, length = _data_offset(p.read_bytes(), name)
                _flip(p, start + min(int(length * where), length - 1))

            yield f"flipped-{name}-{where}", flip, "damaged|hash|not valid JSON|malformed"
    yield "flipped-directory-signature", lambda p: _flip(p, _directory_start(p)), "damaged"
    yield "flipped-header", lambda p: _flip(p, 1), "damaged"
    # missing or extra members
    for name in ("manifest.json", "estimator.json", "model.keras"):
        yield f"missing-{name}", _drop(name), "wrong members|lacks its manifest"
    yield "extra-member", _raw("evil.py", b"import os"), "wrong members"
    # estimator.json that is not a JSON object, or not JSON
    for label, data in [
        ("list", b"[]"),
        ("number", b"1"),
        ("null", b"null"),
        ("string", b'"x"'),
        ("not-json", b"not json"),
        ("not-utf8", b"\xff\xfe\x00"),
        ("deep", b"[" * 100_000 + b"]" * 100_000),
        ("huge-int", b'{"format": ' + b"9" * 5000 + b"}"),
        ("empty", b""),
    ]:
        yield f"estimator.json-{label}", _raw("estimator.json", data), "estimator.json"
    # wrong JSON types in each field of estimator.json
    for key, bad in [
        ("format", "pickle"),
        ("format_version", 99),
        ("format_version", "2"),
        ("format_version", True),
        ("format_version", 1),
        ("class", 1),
        ("class", "os.system"),
        ("class", None),
        ("params", []),
        ("params", "x"),
        ("params", {"__dict__": "x"}),
        ("fitted", []),
        ("fitted", None),
        ("versions", "x"),
        ("versions", {"skdeep": 1}),
        ("backend", 3),
        ("pickle", "x"),
    ]:
        yield (
            f"estimator.json-{key}={bad!r}",
            _set("estimator.json", key, bad),
            re.escape(key),
        )
    for param, bad in [
        ("epochs", "50"),
        ("epochs", 1e400),
        ("learning_rate", -1.0),
        ("optimizer", 3),
        ("optimizer", {"__keras_optimizer__": []}),
        ("sampler", {"__sampler__": 3, "params": {}}),
        ("sampler", {"__sampler__": "imblearn.over_sampling._smote.base:SMOTE", "params": []}),
        ("class_weight", {"__dict__": [[{}, 1]]}),
        ("class_weight", {"__dict__": [1, 2]}),
        ("activation", [[[[[[[[[[[["relu"]]]]]]]]]]]]),
    ]:
        yield (
            f"params.{param}={bad!r}",
            _edit_json(
                "estimator.json", lambda m, p=param, b=bad: {**m, "params": {**m["params"], p: b}}
            ),
            re.escape(param),
        )
    for attr, bad in [
        ("classes_", "x"),
        ("classes_", {"__ndarray__": "x", "dtype": "<i8"}),
        ("classes_", {"__ndarray__": [0, 1], "dtype": 8}),
        ("classes_", {"__ndarray__": [0, 1]}),
        ("classes_", {"__ndarray__": [0, "a"], "dtype": "<i8"}),
        ("classes_", {"__ndarray__": [0, 1], "dtype": "<M8[ns]"}),
        ("n_classes_", True),
        ("n_features_in_", 8.0),
        ("history_", []),
        ("history_", {"__dict__": [[1, [0.5]]]}),
        ("best_epoch_", "1"),
        ("n_epochs_", None),
    ]:
        yield (
            f"fitted.{attr}={bad!r}",
            _edit_json(
                "estimator.json", lambda m, a=attr, b=bad: {**m, "fitted": {**m["fitted"], a: b}}
            ),
            re.escape(attr),
        )
    # manifest.json fields of the wrong type
    for key, bad in [("files", []), ("files", {}), ("format", 2), ("format_version", 3)]:
        yield f"manifest-{key}={bad!r}", _set("manifest.json", key, bad), "manifest|format"
    yield "manifest-not-json", _raw("manifest.json", b"\x00"), "manifest.json is not valid JSON"
    # model.keras that is not a Keras file
    for label, data in [
        ("empty", b""),
        ("text", b"not a keras file"),
        ("zip-without-config", zip_bytes({"a.txt": b"x"})),
        ("config-not-json", zip_bytes({"config.json": b"{"})),
        ("config-a-list", zip_bytes({"config.json": b"[]"})),
        ("config-a-layer", zip_bytes({"config.json": json.dumps(_DENSE).encode()})),
        ("h5-file", b"\x89HDF\r\n\x1a\n" + bytes(100)),
    ]:
        yield f"model.keras-{label}", _raw("model.keras", data), "model.keras|config.json|Keras"
    yield (
        "model.keras-weights-garbled",
        _inner(lambda inner: zip_bytes({**inner, "model.weights.h5": b"garbage"})),
        "model.weights.h5 is damaged",
    )
    yield (
        "model.keras-weights-missing",
        _inner(
            lambda inner: zip_bytes({k: v for k, v in inner.items() if k != "model.weights.h5"})
        ),
        "Keras could not load",
    )
    yield "model.keras-another-network", _inner(_other_network), "input does not match"


_DENSE = {"module": "keras.layers", "class_name": "Dense", "config": {"units": 2}}


def _other_network(inner):
    import keras

    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(inputs))
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        model.save(Path(tmp) / "other.keras")
        return (Path(tmp) / "other.keras").read_bytes()


CASES = list(_cases())


@pytest.mark.parametrize("mutate, match", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_bad_file_raises_data_error_naming_what_is_wrong(original, tmp_path, mutate, match):
    path = shutil.copy(original, tmp_path / "m.skdeep")
    mutate(path)
    with pytest.raises(DataError, match=match) as error:
        skdeep.load(path)
    assert str(error.value).startswith(f"Cannot load {str(path)!r}: ")
    assert "Expected" in str(error.value) and "Received" in str(error.value)


def test_audit_raises_the_same_errors(original, tmp_path):
    path = shutil.copy(original, tmp_path / "m.skdeep")
    _flip(path, len(path.read_bytes()) // 2)
    with pytest.raises(DataError, match="Cannot audit"):
        audit(path)


def test_paths_that_are_not_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="No saved skdeep estimator"):
        skdeep.load(tmp_path / "missing.skdeep")
    with pytest.raises(DataError, match="it is a folder"):
        skdeep.load(tmp_path)
    with pytest.raises(DataError, match="Cannot audit .*it is a folder"):
        audit(tmp_path)
    (tmp_path / "empty.skdeep").write_bytes(b"")
    with pytest.raises(DataError, match="not a zip file"):
        skdeep.load(tmp_path / "empty.skdeep")


def test_a_good_file_still_loads(original, binary_data):
    X, _ = binary_data
    assert np.isfinite(skdeep.load(original).predict_proba(X)).all()


def test_a_flipped_byte_anywhere_is_data_error_or_harmless(original, tmp_path, binary_data):
    """Flips in bytes a reader never uses (timestamps, padding) are harmless; any other flip
    is a DataError, never another exception and never other predictions."""
    X, _ = binary_data
    expected = skdeep.load(original).predict_proba(X)
    size = original.stat().st_size
    outcomes = {"refused": 0, "same": 0}
    for at in range(0, size, max(1, size // 60)):
        path = shutil.copy(original, tmp_path / f"m{at}.skdeep")
        _flip(path, at)
        try:
            proba = skdeep.load(path).predict_proba(X)
        except DataError:
            outcomes["refused"] += 1
        else:
            np.testing.assert_array_equal(proba, expected)
            outcomes["same"] += 1
    assert outcomes["refused"] > outcomes["same"]
