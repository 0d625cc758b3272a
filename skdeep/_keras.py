"""Keras, imported with skdeep's backend set-up applied.

``import skdeep`` no longer imports Keras (the command line and the config checks start in a
fraction of a second), so the backend set-up of :func:`skdeep._backend.import_keras`
(per-worker thread limits, JAX flags that must precede the JAX import, quiet TensorFlow
start-up) cannot run in ``skdeep/__init__.py``. It runs here instead, once per process, and
every skdeep module that uses Keras imports this module before anything else::

    from . import _keras  # noqa: F401  # isort: skip  (Keras backend set-up first)

``tests/test_package.py`` checks that every such module does.
"""

from __future__ import annotations

from ._backend import import_keras
from ._workers import bound_worker_memory, quiet_replaced_workers

keras = import_keras()
bound_worker_memory()  # a loky worker of a search is replaced once it has grown (see _workers)
quiet_replaced_workers()  # ... which loky would report as a suspected memory leak

__all__ = ["keras"]
