"""The fit contract of every skdeep estimator, one concern per module.

Nothing here is an estimator class: :mod:`skdeep.base` drives these pieces in a short fit
template. Floors, bottom up: ``_seeding`` (the only module touching Keras internals),
``_data`` / ``_weights`` / ``_split`` / ``_head`` (NumPy-side checks and rules), ``_inference``,
``_input``, ``_engines`` / ``_model`` (compiled-model reuse), ``_monitor``, ``_phases`` (one
training run), ``_state`` (a failed fit changes nothing), ``_feature_cache``.
"""

from .. import _keras  # noqa: F401  # isort: skip  (Keras backend set-up first)
