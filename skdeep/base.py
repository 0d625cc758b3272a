"""SkdeepClassifier: the one place that owns the fit contract of every skdeep estimator.

Built on scikeras' ``BaseWrapper`` (pickling of Keras models, ``current_epoch``, the general
wrapper shape) with these deliberate departures from scikeras 0.13, each because scikeras
blocks a goal:

* ``ClassifierMixin`` comes *before* the wrapper in the MRO. scikeras' ``KerasClassifier``
  lists it after ``BaseWrapper`` and defines only the old ``_more_tags``, so current
  scikit-learn does not see it as a classifier (``GridSearchCV(cv=5)`` does not stratify) and
  ``check_mixin_order`` fails; a subclass of ``KerasClassifier`` cannot reorder its bases.
* Parameters are the explicit keyword-only ``__init__`` signature (scikit-learn's
  ``_get_param_names``), not scikeras' ``__dict__`` scan and ``**kwargs`` routing.
* ``fit`` is rewritten: parameter validation with ``_parameter_constraints``, actionable data
  errors, a stratified seeded inner split for early stopping (never ``validation_split``),
  class weights and samplers on the training part only, seeding that works on every Keras
  backend, and reuse of compiled models across fits (see :mod:`skdeep._engines`), which is what
  keeps memory flat over hundreds of fits.
* ``predict_proba`` calls the model directly for small inputs (``model.predict`` costs
  milliseconds per call) and pads large inputs to whole batches (no ragged last batch, which
  recompiles on JAX).
"""

from __future__ import annotations

from . import _keras  # noqa: F401  # isort: skip  (Keras backend set-up first)
import contextlib
import math
import random
import threading
import warnings
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import keras
import numpy as np
from scikeras.wrappers import BaseWrapper
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from . import _engines
from ._input import epoch_dataset
from .builders._blocks import classification_loss
from .builders.optimizers import MOMENTUM_OPTIMIZERS, OPTIMIZERS, make_optimizer
from .exceptions import DataError, NotFittedError, ParameterError, TrainingDivergedError, describe
from .model_selection._split import inner_split

__all__ = ["SkdeepClassifier"]


# scikeras 0.13 defines only the pre-1.6 ``_more_tags`` on BaseWrapper; scikit-learn >= 1.6
# rejects a class in the MRO that does so without ``__sklearn_tags__``
# (check_estimator_tags_renamed). Give BaseWrapper the plain pass-through it lacks.
if "__sklearn_tags__" not in vars(BaseWrapper):

    def _wrapper_sklearn_tags(self):
        return super(BaseWrapper, self).__sklearn_tags__()

    BaseWrapper.__sklearn_tags__ = _wrapper_sklearn_tags

#: Inputs up to this many values are predicted with one direct model call.
DIRECT_CALL_MAX_VALUES = 1 << 21
#: Batches run per compiled call during training (measured 1.6x faster epochs on tiny nets).
STEPS_PER_EXECUTION = 16


try:  # where Keras draws every default seed (initializers, dropout, augmentation layers)
    from keras.src.backend.common import global_state as _keras_global_state
    from keras.src.random import seed_generator as _keras_seed_module
    from keras.src.utils import rng_utils as _keras_rng_utils
except ImportError:  # pragma: no cover - a Keras layout we do not know: global RNG only
    _keras_seed_module = _keras_global_state = _keras_rng_utils = None
_BUILD_LOCK = threading.RLock()


def _set_random_seed(seed: int) -> None:
    """``keras.utils.set_random_seed`` without TensorFlow's global seed.

    Every random draw of a skdeep fit is seeded explicitly: Keras layers and initializers from
    their ``SeedGenerator`` state, the shuffling by :func:`skdeep._input.epoch_dataset`.
    ``tf.random.set_seed`` would add nothing but it clears TensorFlow's eager kernel cache,
    which made the following fit about 0.1-0.3 s slower (every eager op re-created).
    """
    if _keras_global_state is None:  # pragma: no cover - a Keras layout we do not know
        keras.utils.set_random_seed(seed)
        return
    _keras_global_state.set_global_attribute(_keras_rng_utils.GLOBAL_RANDOM_SEED, seed)
    _keras_global_state.set_global_attribute(_keras_seed_module.GLOBAL_SEED_GENERATOR, None)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002
    if keras.backend.backend() == "torch":  # pragma: no cover - torch is not a CI backend
        import torch

        torch.manual_seed(seed)


@contextlib.contextmanager
def _seeded(seed: int | None, *, private_keras_seeds: bool = False):
    """Seed Python, NumPy and the Keras backend; restore the global Python/NumPy state after.

    With ``private_keras_seeds`` (used while building a model), Keras' default seeds are drawn
    from a private ``random.Random(seed)`` instead of the process-wide ``random`` module: other
    threads of the process (a Dask worker's event loop, for one) also draw from that module,
    which made initial weights depend on their timing.
    """
    if seed is None:
        yield
        return
    py_state, np_state = random.getstate(), np.random.get_state()  # noqa: NPY002
    _set_random_seed(seed)
    patch = private_keras_seeds and hasattr(_keras_seed_module, "python_random")
    if patch:
        _BUILD_LOCK.acquire()
        shared_rng = _keras_seed_module.python_random
        _keras_seed_module.python_random = random.Random(seed)
    try:
        yield
    finally:
        if patch:
            _keras_seed_module.python_random = shared_rng
            _BUILD_LOCK.release()
        random.setstate(py_state)
        np.random.set_state(np_state)  # noqa: NPY002


def _data_seed(seed: int | None, initial_epoch: int) -> int:
    """Seed of the shuffling of one training run.

    Continuing runs (warm start, ``partial_fit``) get their own stream, so they do not replay
    the first run's epoch orders; ``seed=None`` follows NumPy's global RNG, like scikit-learn.
    """
    if seed is None:
        return int(np.random.randint(np.iinfo(np.int32).max))  # noqa: NPY002
    return int(np.random.SeedSequence([seed, initial_epoch]).generate_state(1)[0] >> 1)


def forward(
    model: keras.Model, X: np.ndarray, batch_size: int, max_samples: int | None = None
) -> np.ndarray:
    """Inference-mode outputs of ``model`` on ``X`` as float32 NumPy.

    Small inputs take one direct model call (``model.predict`` costs milliseconds of setup
    per call); large inputs go through ``predict`` in whole batches only, padding the last
    one (a ragged last batch triggers a recompile on JAX). ``max_samples`` bounds the samples
    of one call (direct or batch); by default a call holds up to ``DIRECT_CALL_MAX_VALUES``
    input values, right for networks whose activations scale with their input.
    """
    n = len(X)
    if n == 0:
        return np.zeros((0, model.output_shape[-1]), np.float32)
    per_call = max(1, DIRECT_CALL_MAX_VALUES // max(1, X[0].size))
    if max_samples is not None:
        per_call = max(1, min(per_call, max_samples))
    if n <= per_call:
        out = model(X, training=False)
        return keras.ops.convert_to_numpy(out).astype(np.float32, copy=False)
    batch = max(min(batch_size, n), per_call)
    if max_samples is not None:
        batch = min(batch, max_samples)
    pad = (-n) % batch
    if pad:
        X = np.concatenate([X, np.repeat(X[-1:], pad, axis=0)])
    out = model.predict(X, batch_size=batch, verbose=0)
    return np.asarray(out[:n], dtype=np.float32)


def _log_loss_and_accuracy(raw: np.ndarray, y_enc: np.ndarray, weights) -> tuple[float, float]:
    """Keras-equivalent (sum over batch size) cross-entropy and accuracy of outputs ``raw``."""
    eps = 1e-7
    if raw.shape[-1] == 1:
        p = np.clip(raw[:, 0].astype(np.float64), eps, 1 - eps)
        losses = -(y_enc * np.log(p) + (1 - y_enc) * np.log(1 - p))
        pred = (raw[:, 0] > 0.5).astype(y_enc.dtype)
    else:
        p = np.clip(raw[np.arange(len(y_enc)), y_enc].astype(np.float64), eps, 1.0)
        losses = -np.log(p)
        pred = np.argmax(raw, axis=1)
    if weights is not None:
        losses = losses * weights
    return float(losses.mean()), float(np.mean(pred == y_enc))


class _TrainingMonitor(keras.callbacks.Callback):
    """Validation, early stopping with best-weight restore, and a NaN-loss guard.

    Validation loss/accuracy are computed here with one inference pass per epoch instead of
    Keras' ``validation_data`` (which builds a dataset iterator and runs an evaluation loop
    every epoch: about 40% of the epoch time of a small tabular network). The values are
    written into the epoch logs, so ``History`` records them as ``val_loss``/``val_accuracy``.
    """

    def __init__(
        self,
        *,
        early_stopping: bool,
        patience: int,
        validation=None,
        batch_size=32,
        max_samples: int | None = None,
    ):
        super().__init__()
        self.early_stopping = early_stopping
        self.patience = patience
        self.validation = validation
        self.batch_size = batch_size
        self.max_samples = max_samples

    def on_train_begin(self, logs=None) -> None:
        self.best = math.inf
        self.best_epoch: int | None = None
        self.best_weights = None
        self.wait = 0
        self.diverged_at: int | None = None

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        logs = logs if logs is not None else {}
        loss = logs.get("loss")
        if loss is not None and not math.isfinite(loss):
            self.diverged_at = epoch + 1
            self.model.stop_training = True
            return
        if self.validation is None:
            return
        X_val, y_val, w_val = self.validation
        raw = forward(self.model, X_val, self.batch_size, self.max_samples)
        val_loss, val_acc = _log_loss_and_accuracy(raw, y_val, w_val)
        penalties = self.model.losses
        if penalties:
            val_loss += float(sum(keras.ops.convert_to_numpy(p) for p in penalties))
        logs["val_loss"], logs["val_accuracy"] = val_loss, val_acc
        if not self.early_stopping:
            return
        if math.isfinite(val_loss) and val_loss < self.best:
            self.best, self.best_epoch, self.wait = val_loss, epoch + 1, 0
            self.best_weights = self.model.get_weights()
        else:
            self.wait += 1
            if self.wait > self.patience:
                self.model.stop_training = True

    def on_train_end(self, logs=None) -> None:
        if self.early_stopping and self.best_weights is not None and self.diverged_at is None:
            self.model.set_weights(self.best_weights)
        self.best_weights = None


class SkdeepClassifier(ClassifierMixin, BaseWrapper):
    """Base class of skdeep's Keras classifiers; not used directly.

    Subclasses define their architecture parameters in ``__init__`` (keyword-only, assignment
    only), extend ``_parameter_constraints``, and implement ``_build_keras_model_fn`` and
    ``_builder_params``. Everything about training lives here.

    Parameters
    ----------
    optimizer : {"adam", "sgd", "rmsprop", "nadam", "adamw", "adagrad", "adamax"} or \
            keras.optimizers.Optimizer, default="adam"
        Optimizer name, or an optimizer instance (copied through its config at every fit).
    learning_rate : float, default=1e-3
        Step size. Overrides the learning rate of an optimizer instance.
    momentum : float, default=0.0
        Momentum of "sgd" and "rmsprop" (ignored, with a warning, by other optimizers).
    clipnorm, clipvalue : float or None, default=None
        Gradient clipping by norm of each weight's gradient / by value.
    batch_size : int, default=32
    epochs : int, default=50
        Maximum number of passes over the training data.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified, shuffled, seeded)
        and stop when the validation loss has not improved for ``patience`` epochs; the best
        weights are restored.
    patience : int, default=10
    validation_fraction : float, default=0.1
        Fraction of the data passed to ``fit`` held out for early stopping.
    class_weight : None, "balanced" or dict, default=None
        Per-class loss weights. "balanced" is computed on the training part of the data only.
    sampler : imblearn sampler or None, default=None
        Resampler (e.g. ``SMOTE()``) applied inside ``fit`` to the training part only, after
        the early-stopping split, so validation data are never synthetic.
    warm_start : bool, default=False
        When True, ``fit`` on a fitted estimator continues training the same network for
        ``epochs`` more epochs instead of starting from new weights.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout, shuffling and the inner split. With the same
        value, two CPU fits give identical predictions.
    verbose : int, default=0
        0 silent, 1 progress bar, 2 one line per epoch.
    """

    _parameter_constraints: dict = {
        "optimizer": [StrOptions(set(OPTIMIZERS)), keras.optimizers.Optimizer],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "momentum": [Interval(Real, 0, 1, closed="left")],
        "clipnorm": [None, Interval(Real, 0, None, closed="neither")],
        "clipvalue": [None, Interval(Real, 0, None, closed="neither")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "patience": [Interval(Integral, 0, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "class_weight": [None, StrOptions({"balanced"}), dict],
        "sampler": [None, HasMethods(["fit_resample"])],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    # scikeras hooks this class replaces (kept falsy so scikeras code paths stay inert)
    _tags: dict = {}

    # ------------------------------------------------------------------ sklearn plumbing
    _get_param_names = classmethod(BaseEstimator._get_param_names.__func__)
    set_params = BaseEstimator.set_params
    get_params = BaseEstimator.get_params
    __repr__ = BaseEstimator.__repr__

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = True
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        tags.non_deterministic = False
        return tags

    # ------------------------------------------------------------------ hooks for subclasses
    def _builder_params(self) -> dict[str, Any]:
        """Keyword arguments of the builder (architecture), taken from ``self``."""
        raise NotImplementedError

    @staticmethod
    def _builder(**kwargs) -> keras.Model:
        raise NotImplementedError

    def _check_params(self) -> None:
        """Cross-parameter checks (single parameters are checked by the constraints).

        Subclasses extending this must call ``super()._check_params()``.
        """
        if self.early_stopping and self.validation_fraction == 0:
            raise ParameterError(
                "early_stopping=True needs held-out data to monitor. Expected "
                "validation_fraction in (0, 1). Received: validation_fraction=0"
            )

    def _check_X(self, X, *, reset: bool) -> np.ndarray:
        """Validate X and return a float32 array shaped for the network."""
        dtype = _dtype(X)
        if dtype is not None and dtype.kind == "c":
            raise DataError(
                "Complex data not supported. Expected real-valued features. "
                f"Received: X of dtype {dtype}"
            )
        if _ndim(X) == 1:
            raise DataError(
                f"{type(self).__name__} expects a 2-D array of shape (n_samples, n_features). "
                "Reshape your data: X.reshape(-1, 1) for a single feature, X.reshape(1, -1) "
                f"for a single sample. Received: X with shape {np.shape(X)}"
            )
        X = validate_data(self, X, reset=reset, dtype=[np.float32, np.float64])
        return np.asarray(X, dtype=np.float32)

    # ------------------------------------------------------------------ fit
    def fit(self, X, y, sample_weight=None) -> SkdeepClassifier:
        """Train the network on ``(X, y)``.

        Parameters
        ----------
        X : array-like or DataFrame
            Training data.
        y : array-like of shape (n_samples,)
            Class labels (strings, integers or booleans); at least two classes.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample loss weights, multiplied with the class weights.

        Returns
        -------
        self
        """
        self._validate_params()
        self._check_params()
        continuing = self.warm_start and (
            hasattr(self, "model_") or getattr(self, "_parked_state", None) is not None
        )
        X, y_raw = self._check_X_y(X, y, reset=not continuing)
        if continuing:
            unknown = np.setdiff1d(np.unique(y_raw), self.classes_)
            if unknown.size:
                raise DataError(
                    "warm_start=True continues training on the classes seen by the first fit. "
                    f"Expected labels in {self.classes_.tolist()}. Received: new labels "
                    f"{unknown.tolist()}"
                )
        else:
            self.classes_ = np.unique(y_raw)
        self.n_classes_ = len(self.classes_)
        y_enc = np.searchsorted(self.classes_, y_raw)
        sample_weight = self._check_sample_weight(sample_weight, X)
        if not continuing:
            self._parked_state = None
        return self._fit_encoded(X, y_enc, sample_weight, continuing=continuing)

    # ------------------------------------------------------------------ parking
    def _park_training_state(self) -> bool:
        """Keep this fit's training state as NumPy arrays and give its compiled model back.

        For searches that continue many fitted networks later (``EpochHalvingSearchCV``): a
        live ``model_`` per (candidate, fold) holds a compiled model each, with graphs that
        TensorFlow never frees. A parked estimator holds only the values of the model's and
        the optimizer's variables; its next ``fit`` with ``warm_start=True`` takes a compiled
        model of the same architecture from the pool (compiling one only if none is free),
        loads them and continues exactly where training stopped. Until then it has no
        ``model_`` and cannot predict. Returns False (nothing parked) where an estimator does
        not support it.
        """
        if not hasattr(self, "model_"):
            return False
        model = self.model_
        self._parked_state = {
            "input_shape": tuple(model.input_shape[1:]),
            "variables": [keras.ops.convert_to_numpy(v) for v in model.variables],
            "optimizer": [keras.ops.convert_to_numpy(v) for v in model.optimizer.variables],
        }
        _engines.POOL.release(self)
        del self.model_
        return True

    def _unpark_training_state(self, input_shape: tuple[int, ...], example=None) -> None:
        """Restore a parked training state into a compiled model (see ``_park_training_state``)."""
        state = getattr(self, "_parked_state", None)
        if state is None or hasattr(self, "model_"):
            return
        if tuple(input_shape) != state["input_shape"]:
            raise DataError(
                "warm_start=True continues the network trained by the previous fit. Expected "
                f"samples of shape {state['input_shape']}. Received: {tuple(input_shape)}"
            )
        with _seeded(self._seed(), private_keras_seeds=True):
            self._initialize_model(state["input_shape"], example=example)
        model = self.model_
        optimizer = model.optimizer
        if not optimizer.built:
            optimizer.build(model.trainable_variables)
        for variable, value in zip(model.variables, state["variables"], strict=True):
            variable.assign(value)
        for variable, value in zip(optimizer.variables, state["optimizer"], strict=True):
            variable.assign(value)
        self._parked_state = None

    def partial_fit(self, X, y, classes=None, sample_weight=None) -> SkdeepClassifier:
        """Train for one more epoch on ``(X, y)`` (no early stopping, no resampling).

        Parameters
        ----------
        X, y, sample_weight
            As in :meth:`fit`.
        classes : array-like, default=None
            All labels that will ever be seen; required on the first call when ``y`` does
            not contain every class.

        Returns
        -------
        self
        """
        self._validate_params()
        self._check_params()
        first = not hasattr(self, "model_") and getattr(self, "_parked_state", None) is None
        X, y_raw = self._check_X_y(X, y, reset=first)
        if first:
            self.classes_ = np.unique(y_raw if classes is None else np.asarray(classes))
            self.n_classes_ = len(self.classes_)
        unknown = np.setdiff1d(np.unique(y_raw), self.classes_)
        if unknown.size:
            raise DataError(
                f"y holds labels not in classes. Expected labels in {self.classes_.tolist()}. "
                f"Received: {unknown.tolist()}"
            )
        y_enc = np.searchsorted(self.classes_, y_raw)
        sample_weight = self._check_sample_weight(sample_weight, X)
        with _overrides(self, epochs=1, early_stopping=False, sampler=None):
            return self._fit_encoded(X, y_enc, sample_weight, continuing=not first)

    def _check_X_y(self, X, y, *, reset: bool) -> tuple[np.ndarray, np.ndarray]:
        if y is None:
            raise DataError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        n_x = _num_samples(X)
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. Please change the "
                "shape of y to (n_samples,), for example using ravel().",
                _data_conversion_warning(),
                stacklevel=3,
            )
            y = y.ravel()
        if y.ndim != 1:
            raise DataError(
                f"{type(self).__name__} expects y of shape (n_samples,) with one label per "
                f"sample. Received: y with shape {y.shape}"
            )
        if n_x != len(y):
            raise DataError(
                "X and y have different numbers of samples. Expected equal lengths. "
                f"Received: X with {n_x} samples, y with {len(y)} samples"
            )
        X = self._check_X(X, reset=reset)
        if y.dtype.kind in "fc" and not np.all(np.isfinite(y)):
            raise DataError("Input y contains NaN or infinity. Received: y with non-finite labels")
        check_classification_targets(y)
        if type_of_target(y) not in ("binary", "multiclass"):
            raise DataError(
                f"{type(self).__name__} supports binary and multiclass targets. "
                f"Received: y of type {type_of_target(y)!r}"
            )
        if reset and len(np.unique(y)) < 2:
            raise DataError(
                f"{type(self).__name__} needs samples of at least 2 classes in the data. "
                f"Received: y with one class only, {describe(_plain(np.unique(y)[0]))}"
            )
        return X, y

    def _check_sample_weight(self, sample_weight, X) -> np.ndarray | None:
        if sample_weight is None:
            return None
        n = len(X)
        if _num_samples(sample_weight) != n if hasattr(sample_weight, "__len__") else False:
            raise DataError(
                "sample_weight must have one weight per sample. Expected length "
                f"{n}. Received: sample_weight with length {_num_samples(sample_weight)}"
            )
        sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float32)
        if np.any(sample_weight < 0) or not np.all(np.isfinite(sample_weight)):
            raise DataError(
                "sample_weight must be finite and non-negative. Received: "
                f"min={sample_weight.min()}, max={sample_weight.max()}"
            )
        if not np.any(sample_weight > 0):
            raise DataError(
                "Sample weights must contain at least one non-zero number; all "
                "sample_weight values are zero, so there is nothing to train on."
            )
        return sample_weight

    def _resolve_class_weight(self, y_enc: np.ndarray) -> dict | None:
        if self.class_weight is None:
            return None
        if isinstance(self.class_weight, str):  # "balanced", on the training part only
            counts = np.bincount(y_enc, minlength=self.n_classes_).astype(float)
            present = counts > 0
            weights = np.zeros(self.n_classes_)
            weights[present] = len(y_enc) / (present.sum() * counts[present])
            return {label: float(w) for label, w in zip(self.classes_.tolist(), weights)}
        known = set(self.classes_.tolist())
        unknown = [k for k in self.class_weight if _plain(k) not in known]
        if unknown:
            raise ParameterError(
                "class_weight has labels that are not classes of y. Expected keys among "
                f"{sorted(known, key=str)}. Received: class_weight={describe(self.class_weight)}"
            )
        resolved = {label: 1.0 for label in self.classes_.tolist()}
        for k, w in self.class_weight.items():
            if not (isinstance(w, Real) and w >= 0 and math.isfinite(w)):
                raise ParameterError(
                    "class_weight values must be finite non-negative numbers. "
                    f"Received: class_weight[{k!r}]={w!r}"
                )
            resolved[_plain(k)] = float(w)
        return resolved

    def _seed(self) -> int | None:
        if self.random_state is None:
            return None
        if isinstance(self.random_state, Integral):
            return int(self.random_state)
        return int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))

    def _fit_encoded(self, X, y_enc, sample_weight, *, continuing: bool):
        seed = self._seed()
        # 1. inner split, taken from the data passed to fit, before any weighting/resampling
        if self.early_stopping:
            train_idx, val_idx = inner_split(y_enc, self.validation_fraction, seed)
        else:
            train_idx, val_idx = np.arange(len(y_enc)), None
        X_tr, y_tr = X[train_idx], y_enc[train_idx]
        w_tr = None if sample_weight is None else sample_weight[train_idx]
        # 2. resampling of the training part only
        if self.sampler is not None:
            X_tr, y_tr, w_tr = self._resample(X_tr, y_tr, w_tr, seed)
        # 3. class weights from the training part only
        self.class_weight_ = self._resolve_class_weight(y_tr)
        w_tr = self._combine_weights(y_tr, w_tr)
        validation = None
        if val_idx is not None:
            w_val = None if sample_weight is None else sample_weight[val_idx]
            validation = (X[val_idx], y_enc[val_idx], self._combine_weights(y_enc[val_idx], w_val))
        y_keras = self._keras_target(y_tr)
        if continuing:  # a warm-started fit trains at the current learning_rate
            self._unpark_training_state(X.shape[1:], example=(X_tr[:1], y_keras[:1]))
            self.model_.optimizer.learning_rate = self.learning_rate
        else:
            with _seeded(seed, private_keras_seeds=True):
                self._initialize_model(X.shape[1:], example=(X_tr[:1], y_keras[:1]))
        # Training is seeded afresh, so a reused engine and a newly compiled one draw exactly
        # the same shuffling and dropout streams.
        with _seeded(seed):
            monitor = _TrainingMonitor(
                early_stopping=self.early_stopping,
                patience=self.patience,
                validation=validation,
                batch_size=self.batch_size,
                max_samples=self._max_samples_per_call(),
            )
            initial_epoch = self.n_epochs_ if continuing else 0
            arrays = (X_tr, y_keras) if w_tr is None else (X_tr, y_keras, w_tr)
            prepared = epoch_dataset(arrays, self.batch_size, _data_seed(seed, initial_epoch))
            if prepared is None:  # JAX/torch: Keras iterates the arrays itself
                inputs = dict(
                    x=X_tr, y=y_keras, sample_weight=w_tr, batch_size=self.batch_size, shuffle=True
                )
            else:
                inputs = dict(x=prepared[0], steps_per_epoch=prepared[1], shuffle=False)
            history = self.model_.fit(
                **inputs,
                epochs=initial_epoch + self.epochs,
                initial_epoch=initial_epoch,
                callbacks=[monitor],
                verbose=self.verbose,
            )
        if monitor.diverged_at is not None:
            raise TrainingDivergedError(
                f"Training diverged: the loss became NaN or infinite at epoch "
                f"{monitor.diverged_at}; predictions would be meaningless. "
                "Lower learning_rate, set clipnorm/clipvalue, or scale X. Received: "
                f"learning_rate={self.learning_rate}, optimizer={describe(self.optimizer)}"
            )
        new = {k: [float(v) for v in vals] for k, vals in history.history.items()}
        if continuing and getattr(self, "history_", None):
            for k, vals in new.items():
                self.history_.setdefault(k, []).extend(vals)
        else:
            self.history_ = new
        self.n_epochs_ = initial_epoch + len(new.get("loss", []))
        self.best_epoch_ = monitor.best_epoch  # Keras numbers epochs from the first fit
        return self

    def _resample(self, X_tr, y_tr, w_tr, seed):
        sampler = clone(self.sampler)
        if seed is not None and "random_state" in sampler.get_params():
            if sampler.get_params()["random_state"] is None:
                sampler.set_params(random_state=seed)
        shape = X_tr.shape[1:]
        X_res, y_res = sampler.fit_resample(X_tr.reshape(len(X_tr), -1), y_tr)
        if w_tr is not None:
            indices = getattr(sampler, "sample_indices_", None)
            if indices is None:
                raise ParameterError(
                    "sample_weight cannot be combined with a sampler that creates synthetic "
                    "samples. Expected a sampler exposing sample_indices_ (e.g. "
                    f"RandomUnderSampler). Received: sampler={describe(self.sampler)}"
                )
            w_tr = w_tr[indices]
        X_res = np.asarray(X_res, dtype=np.float32).reshape((len(X_res), *shape))
        return X_res, np.asarray(y_res), w_tr

    def _combine_weights(self, y_enc, sample_weight):
        if self.class_weight_ is None:
            return sample_weight
        per_class = np.array([self.class_weight_[c] for c in self.classes_.tolist()], np.float32)
        weights = per_class[y_enc]
        return weights if sample_weight is None else weights * sample_weight

    def _keras_target(self, y_enc: np.ndarray) -> np.ndarray:
        if self.n_classes_ == 2:
            return y_enc.astype(np.float32).reshape(-1, 1)
        return y_enc.astype(np.int32)

    # ------------------------------------------------------------------ model construction
    def _optimizer_key(self) -> tuple:
        if isinstance(self.optimizer, keras.optimizers.Optimizer):
            config = self.optimizer.get_config()
            config.pop("learning_rate", None)
            config.pop("name", None)
            return (type(self.optimizer).__name__, repr(sorted(config.items())))
        momentum = self.momentum if self.optimizer in MOMENTUM_OPTIMIZERS else None
        return (self.optimizer, momentum)

    def _engine_key(self, input_shape: tuple[int, ...]) -> tuple:
        params = self._builder_params()
        return (
            type(self).__qualname__,
            keras.backend.backend(),
            tuple(input_shape),
            self.n_classes_,
            tuple(sorted((k, repr(v)) for k, v in params.items())),
            self._optimizer_key(),
            self.clipnorm,
            self.clipvalue,
        )

    def _build_model(self, input_shape: tuple[int, ...]) -> keras.Model:
        """A fresh, uncompiled model (call inside the seeding context)."""
        try:
            return self._builder(
                input_shape=tuple(int(d) for d in input_shape),
                n_classes=self.n_classes_,
                **self._builder_params(),
            )
        except ValueError as exc:  # invalid architecture combination: name it
            raise ParameterError(
                f"{type(self).__name__} cannot build its network: {exc}. Received: "
                f"{describe(self._builder_params(), limit=300)}"
            ) from exc

    def _compile(self, model: keras.Model) -> None:
        if self.momentum and self.optimizer not in MOMENTUM_OPTIMIZERS:
            warnings.warn(
                f"momentum={self.momentum} is ignored by optimizer={describe(self.optimizer)}; "
                f"it applies to {sorted(MOMENTUM_OPTIMIZERS)}.",
                UserWarning,
                stacklevel=4,
            )
        model.compile(
            optimizer=make_optimizer(
                self.optimizer,
                learning_rate=self.learning_rate,
                momentum=self.momentum,
                clipnorm=self.clipnorm,
                clipvalue=self.clipvalue,
            ),
            loss=classification_loss(self.n_classes_),
            metrics=["accuracy"],
            steps_per_execution=STEPS_PER_EXECUTION,
        )

    def _initialize_model(self, input_shape: tuple[int, ...], example: tuple | None = None) -> None:
        """Set ``model_`` to a freshly initialised, compiled network (reusing an engine).

        ``example`` is one ``(x, y)`` training pair: a newly compiled model runs a zero-epoch
        ``fit`` on it so that Keras' one-off symbolic build (which draws from the shuffling
        RNG on some backends) happens here, not inside the seeded training run.
        """
        pool = _engines.POOL
        pool.release(self)
        key = self._engine_key(input_shape)
        fresh = self._build_model(input_shape)
        _engines.note_model_built()
        engine = pool.acquire(key, self)
        if engine is not None and _engines.reset_engine(engine, fresh, self.learning_rate):
            self.model_ = engine.model
            return
        self._compile(fresh)
        if example is not None:
            fresh.fit(*example, epochs=0, verbose=0)
        engine = _engines.Engine(key=key, model=fresh)
        engine.optimizer_state = _engines.snapshot_optimizer(fresh)
        pool.register(engine, self)
        self.model_ = fresh

    # ------------------------------------------------------------------ predict
    def _check_fitted(self) -> None:
        try:
            check_is_fitted(self, "model_")
        except Exception as exc:
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            ) from exc

    def _predict_raw(self, X) -> np.ndarray:
        self._check_fitted()
        return forward(
            self.model_,
            self._check_X(X, reset=False),
            self.batch_size,
            self._max_samples_per_call(),
        )

    def _max_samples_per_call(self) -> int | None:
        """Most samples one inference call may take (None: bounded by input values only).

        Subclasses whose networks grow their inputs (e.g. resize images) lower it to bound
        the memory of validation and prediction calls.
        """
        return None

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes), columns in ``classes_`` order.

        Parameters
        ----------
        X : array-like or DataFrame

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        raw = self._predict_raw(X)
        if self.n_classes_ == 2:
            p = raw.reshape(-1)
            return np.column_stack([1.0 - p, p])
        return raw

    def predict(self, X) -> np.ndarray:
        """Predicted class labels (values of ``classes_``).

        Parameters
        ----------
        X : array-like or DataFrame

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    # ------------------------------------------------------------------ persistence
    def save(self, path) -> Path:
        """Save the fitted estimator to one file (Keras format + parameters, no pickle).

        Parameters
        ----------
        path : str or path-like
            Destination file, e.g. ``"model.skdeep"``.

        Returns
        -------
        pathlib.Path

        Examples
        --------
        >>> from sklearn.datasets import make_classification
        >>> import skdeep, tempfile, os
        >>> X, y = make_classification(random_state=0)
        >>> est = skdeep.ANNClassifier(epochs=2, random_state=0).fit(X, y)
        >>> path = est.save(os.path.join(tempfile.mkdtemp(), "est.skdeep"))
        >>> (skdeep.load(path).predict(X) == est.predict(X)).all()
        np.True_
        """
        from ._persistence import save

        return save(self, path)

    @classmethod
    def load(cls, path):
        """Load an estimator of this class saved with :meth:`save` (Keras ``safe_mode``).

        Loading a file saved by another skdeep estimator class raises ``DataError``; use
        :func:`skdeep.load` to load any skdeep estimator.
        """
        from ._persistence import load

        return load(path, expected=None if cls is SkdeepClassifier else cls)

    # scikeras' predict/score signatures take **kwargs; ours follow scikit-learn exactly.
    score = ClassifierMixin.score


def _num_samples(x) -> int:
    shape = getattr(x, "shape", None)
    if shape is None and hasattr(x, "__array__"):
        shape = np.asarray(x).shape
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    try:
        return len(x)
    except TypeError:
        raise DataError(f"Expected array-like input. Received: {describe(x)}") from None


def _dtype(x) -> np.dtype | None:
    dtype = getattr(x, "dtype", None)
    if isinstance(dtype, np.dtype):
        return dtype
    try:
        return np.asarray(x).dtype
    except Exception:  # ragged or exotic input: leave it to check_array
        return None


def _ndim(x) -> int | None:
    ndim = getattr(x, "ndim", None)
    if ndim is None:
        try:
            ndim = np.ndim(x)
        except Exception:  # ragged or exotic input: leave it to check_array
            return None
    return int(ndim)


def _plain(value):
    """numpy scalar -> Python scalar, so dict keys compare equal to ``classes_.tolist()``."""
    return value.item() if isinstance(value, np.generic) else value


def _data_conversion_warning():
    from sklearn.exceptions import DataConversionWarning

    return DataConversionWarning


@contextlib.contextmanager
def _overrides(est, **params):
    """Temporarily override parameters (restored even when training fails)."""
    saved = {k: getattr(est, k) for k in params}
    vars(est).update(params)
    try:
        yield
    finally:
        vars(est).update(saved)
