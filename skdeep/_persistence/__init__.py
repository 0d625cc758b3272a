"""Saving and loading fitted skdeep estimators without pickle; loading never runs code.

A saved estimator is one zip file (:mod:`._format`): ``model.keras`` (the Keras native
format), ``estimator.json`` (class, parameters, fitted attributes, versions) and
``manifest.json`` (size and sha256 of both). :func:`load` and :func:`audit` check, before
anything is built:

* sizes, from the zip central directories, before a byte is decompressed: member sizes,
  totals, directory size and compression ratio (zip bombs), for the file and for the Keras
  file inside it (:mod:`._archive`);
* the sha256 of each member against the manifest;
* the estimator class (a registered skdeep estimator), the parameters (plain JSON values; a
  ``sampler`` only of an allowlisted imbalanced-learn class, an ``optimizer`` only of a
  built-in Keras optimizer class; then the class's own parameter constraints:
  :mod:`._allowlist`, :mod:`._values`, :mod:`._params`), the fitted attributes (an
  allowlist per estimator class with type and shape checks: :mod:`._fitted`) and the Keras
  architecture (no bytecode, no class from outside Keras: :mod:`._keras_file`).

:func:`load` then builds the sampler and optimizer from their allowlisted classes, loads the
network with Keras ``safe_mode=True`` and checks it against the fitted attributes. Every
damaged, truncated or hostile file raises :class:`skdeep.exceptions.DataError` naming what is
wrong; a missing path raises ``FileNotFoundError``. :func:`save` writes atomically.

Why not skops.io
----------------
``skops.io`` (0.16) was evaluated for the non-Keras part and not used. Measured here:

* it cannot hold our one non-trivial object, the Keras optimizer (``skops.io.dumps`` raises
  ``TypeError: a class that defines __slots__ without defining __getstate__ cannot be
  pickled``), so a hand-written path is needed anyway, and so is the JSON reader for files of
  format version 1 (skdeep 0.1);
* the imbalanced-learn sampler is untrusted to skops by default, so we would pass our own
  allowlist, and skops then rebuilds it with ``cls.__new__`` and ``__dict__.update``: no
  ``__init__``, no parameter validation. An edited file loaded with ``trusted=[SMOTE]`` gave a
  SMOTE whose ``fit_resample`` was the string ``"not a method"`` and ``k_neighbors=-5``. The
  decoder here calls ``cls(**params)`` only after checking each parameter against the
  class's ``_parameter_constraints``, and allows no other state;
* what we store is mostly scalars and strings (plus that sampler and optimizer): a strict
  decoder of five JSON tags is about 250 lines, with no dependency;
* skops would add three packages (skops 1.4 MB, prettytable 0.3 MB, wcwidth 6 MB) and its
  import costs 0.66 s and 739 modules on top of scikit-learn.

Its audit idea is kept: :func:`audit` reports what a file would create (like
``skops.io.get_untrusted_types``), without building anything.
"""

from __future__ import annotations

from .. import _keras  # noqa: F401  # isort: skip  (Keras backend set-up first)

from ._archive import LIMITS, Limits
from ._audit import audit
from ._format import FORMAT, FORMAT_VERSION
from ._io import load, save

__all__ = ["FORMAT", "FORMAT_VERSION", "LIMITS", "Limits", "audit", "load", "save"]
