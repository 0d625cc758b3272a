"""Sequence datasets: JapaneseVowels, read from the ``.ts`` files of the aeon/sktime wheels."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..exceptions import DataError
from ._home import get_data_home, package_files_not_found, read_package_files

__all__ = ["load_japanese_vowels"]

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
    files = {part: _JAPANESE_VOWELS_FILE.format(part=part) for part in ("TRAIN", "TEST")}
    found = read_package_files(home, JAPANESE_VOWELS_PACKAGES, files)
    if found is None:
        return None
    contents, source = found
    return {part: raw.decode("utf-8") for part, raw in contents.items()}, source


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
        raise package_files_not_found(
            "JapaneseVowels",
            home,
            JAPANESE_VOWELS_PACKAGES,
            JAPANESE_VOWELS_WHEEL,
            "a 6.4 MB wheel; do not `pip install aeon`, it pulls numba and changes your numpy "
            "and pandas",
            installed="installed packages",
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
