"""Regression tables: ggplot2's diamonds, read from the ``plotnine`` wheel."""

from __future__ import annotations

import io
import os
from typing import Any

import numpy as np

from ..exceptions import DataError
from ._home import get_data_home, package_files_not_found, read_package_files

__all__ = ["DIAMONDS_CATEGORIES", "DIAMONDS_FEATURES", "load_diamonds"]

#: Packages that ship diamonds.csv, as a downloaded wheel in the data folder or installed.
DIAMONDS_PACKAGES: tuple[str, ...] = ("plotnine",)
#: The wheel ``make data`` downloads into the data folder (``pip download --no-deps``).
DIAMONDS_WHEEL = "plotnine==0.15.9"
_DIAMONDS_FILE = "data/diamonds.csv"

#: The feature columns of :func:`load_diamonds`, in order.
DIAMONDS_FEATURES = ("carat", "cut", "color", "clarity", "depth", "table", "x", "y", "z")
#: The ordered levels of the three graded columns, worst first: code 0 is the first level.
DIAMONDS_CATEGORIES: dict[str, tuple[str, ...]] = {
    "cut": ("Fair", "Good", "Very Good", "Premium", "Ideal"),
    "color": ("J", "I", "H", "G", "F", "E", "D"),
    "clarity": ("I1", "SI2", "SI1", "VS2", "VS1", "VVS2", "VVS1", "IF"),
}
_TARGET = "price"


def _diamonds_frame(raw: bytes, source: str):
    """The CSV as a DataFrame with ordered categoricals, its columns and levels checked."""
    import pandas as pd

    try:
        frame = pd.read_csv(io.BytesIO(raw))
    except (ValueError, UnicodeDecodeError) as exc:  # pandas' parser errors
        raise DataError(f"diamonds.csv cannot be read: {exc}. Received: {source}") from None
    expected = [*DIAMONDS_FEATURES[:6], _TARGET, *DIAMONDS_FEATURES[6:]]
    if list(frame.columns) != expected:
        raise DataError(
            f"diamonds.csv does not hold the expected columns. Expected {expected}. "
            f"Received: {list(frame.columns)} in {source}"
        )
    for name, levels in DIAMONDS_CATEGORIES.items():
        unknown = sorted(set(frame[name].dropna().astype(str)) - set(levels))
        if unknown or frame[name].isna().any():
            raise DataError(
                f"diamonds.csv has unknown or missing {name} grades. Expected values among "
                f"{list(levels)}. Received: {unknown or 'missing values'} in {source}"
            )
        frame[name] = pd.Categorical(frame[name], categories=list(levels), ordered=True)
    numeric = [c for c in expected if c not in DIAMONDS_CATEGORIES]
    bad = [c for c in numeric if not pd.api.types.is_numeric_dtype(frame[c])]
    if bad:
        raise DataError(
            f"diamonds.csv has non-numeric values in numeric columns. Expected numbers. "
            f"Received: columns {bad} in {source}"
        )
    return frame


def load_diamonds(
    *, data_home: str | os.PathLike | None = None, as_frame: bool = False
) -> tuple[Any, Any]:
    """Diamonds: prices and attributes of 53,940 round-cut diamonds (ggplot2; MIT licence).

    The table of R's ggplot2 package (H. Wickham), as ``plotnine`` ships it
    (``plotnine/data/diamonds.csv``). The CSV is read straight from the plotnine wheel in
    the data folder, which ``make data`` downloads (``pip download --no-deps
    plotnine==0.15.9``, 1.6 MB), or from an installed ``plotnine`` package, which is never
    imported.

    Parameters
    ----------
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    as_frame : bool, default=False
        Return a DataFrame and a Series instead of arrays.

    Returns
    -------
    X : ndarray of shape (53940, 9), float64, or DataFrame
        Columns :data:`DIAMONDS_FEATURES`: ``carat`` (weight), ``cut``, ``color``,
        ``clarity``, ``depth`` (total depth, %), ``table`` (top width relative to the widest
        point, %), ``x``, ``y``, ``z`` (length, width, depth in mm). The graded columns hold
        ordinal codes 0, 1, ... in the natural order of :data:`DIAMONDS_CATEGORIES`, worst
        first: cut Fair < Good < Very Good < Premium < Ideal, color J < I < H < G < F < E < D,
        clarity I1 < SI2 < SI1 < VS2 < VS1 < VVS2 < VVS1 < IF. With ``as_frame=True`` they
        are ordered pandas Categoricals whose ``.cat.codes`` are those codes.
    y : ndarray of shape (53940,), float64, or Series named "price"
        Price in US dollars (326 to 18,823).

    Raises
    ------
    DatasetNotFoundError
        No plotnine wheel in the data folder and no installed plotnine; the message says how
        to get it.
    DataError
        The CSV does not hold the expected columns or grades.

    Examples
    --------
    >>> X, y = load_diamonds()  # doctest: +SKIP
    >>> X.shape, round(float(y.mean()), 1)  # doctest: +SKIP
    ((53940, 9), 3932.8)
    >>> frame, price = load_diamonds(as_frame=True)  # doctest: +SKIP
    >>> frame["cut"].cat.categories[-1], price.name  # doctest: +SKIP
    ('Ideal', 'price')
    """
    home = get_data_home(data_home)
    found = read_package_files(home, DIAMONDS_PACKAGES, {"csv": _DIAMONDS_FILE})
    if found is None:
        raise package_files_not_found(
            "The diamonds table",
            home,
            DIAMONDS_PACKAGES,
            DIAMONDS_WHEEL,
            "a 1.6 MB wheel; do not `pip install plotnine`, it pulls matplotlib, mizani and "
            "statsmodels",
            installed="installed package",
        )
    contents, source = found
    frame = _diamonds_frame(contents["csv"], source)
    y = frame.pop(_TARGET).astype(np.float64)
    if as_frame:
        return frame, y
    X = frame.assign(**{name: frame[name].cat.codes for name in DIAMONDS_CATEGORIES})
    return X.to_numpy(dtype=np.float64), y.to_numpy()
