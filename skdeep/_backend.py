"""Import-time check that a Keras backend is installed, with an actionable message."""

from __future__ import annotations

import os

_EXTRAS = {
    "tensorflow": "pip install 'skdeep[cpu]' (or 'skdeep[gpu]' for CUDA)",
    "jax": "pip install jax (or 'jax[cuda12]')",
    "torch": "pip install torch",
}


def import_keras():
    """Import Keras, turning a missing backend into an ImportError that says what to install."""
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    try:
        import keras
    except ImportError as exc:  # keras itself or its backend is missing
        hint = _EXTRAS.get(backend, f"install the '{backend}' package")
        raise ImportError(
            f"skdeep needs Keras 3 with a backend, and the '{backend}' backend "
            f"(KERAS_BACKEND={backend!r}) could not be imported: {exc}. "
            f"Install it with: {hint}; or set KERAS_BACKEND to an installed backend "
            "('tensorflow', 'jax' or 'torch')."
        ) from exc
    return keras
