"""The fit contract every skdeep estimator shares, as a short template over named steps.

``SkdeepEstimator`` holds the shared training parameters and their constraints, and runs
``fit`` as: validate the parameters (one place), check the data, prepare it in the leakage
order (:mod:`skdeep._training._prepare`), train each phase (:mod:`skdeep._training._phases`)
and record the result. The fit runs inside a transaction (:mod:`skdeep._training._state`): if
anything fails, the estimator is left exactly as it was. A family adds a builder, its flat
parameters and its checks; ``SkdeepClassifier`` adds labels, class weights and samplers.

Departures from scikeras (whose API ``skdeep.KerasClassifier`` stays compatible with) and the
reasons for each are in ``docs/design-notes.md``.
"""

from __future__ import annotations

from . import _keras  # noqa: F401  # isort: skip  (Keras backend set-up first)
from numbers import Integral, Real

import keras
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from ._persistence._mixin import SavableMixin
from ._training._callbacks import continue_logs, fit_callbacks
from ._training._data import check_classification_y, check_features, check_sample_weight
from ._training._head import CLASSIFIER_MONITORS, ClassifierHead
from ._training._inference import forward
from ._training._model import OptimizerSpec, compile_model
from ._training._networks import park as park_network
from ._training._networks import phase_network
from ._training._phases import Phase, Record, RunSettings
from ._training._prepare import prepare
from ._training._recipe import base_learning_rate, check_recipe, holdout, schedule_of
from ._training._schedules import SCHEDULES
from ._training._seeding import fit_seed
from ._training._state import fit_transaction
from .builders.optimizers import OPTIMIZERS
from .exceptions import DataError, NotFittedError, describe
from .utils._compat import HasMethods, Interval, StrOptions

__all__ = ["SkdeepClassifier", "SkdeepEstimator", "park"]


class SkdeepEstimator(SavableMixin, BaseEstimator):
    """Base class of skdeep's Keras estimators; not used directly.

    Subclasses write out their parameters in a keyword-only ``__init__`` (assignment only),
    extend ``_parameter_constraints``, and implement ``_network`` (a fresh uncompiled model)
    and ``_architecture`` (what identifies it); see :mod:`skdeep.estimators`.
    """

    _parameter_constraints: dict = {
        "optimizer": [StrOptions(set(OPTIMIZERS)), keras.optimizers.Optimizer],
        "learning_rate": [None, Interval(Real, 0, None, closed="neither")],
        "momentum": [Interval(Real, 0, 1, closed="left")],
        "clipnorm": [None, Interval(Real, 0, None, closed="neither")],
        "clipvalue": [None, Interval(Real, 0, None, closed="neither")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "patience": [Interval(Integral, 0, None, closed="left")],
        "validation_fraction": [None, Interval(Real, 0, 1, closed="left")],
        "monitor": [StrOptions({"val_loss"})],
        "min_delta": [Interval(Real, 0, None, closed="left")],
        "lr_schedule": [StrOptions(set(SCHEDULES))],
        "lr_decay": [None, Interval(Real, 0, 1, closed="right")],
        "lr_decay_epochs": [None, Interval(Integral, 1, None, closed="left")],
        "warmup_epochs": [Interval(Integral, 0, None, closed="left")],
        "callbacks": [None, list, tuple],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = True
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        tags.non_deterministic = False
        return tags

    # ------------------------------------------------------------------ family hooks
    def _network(self, input_shape: tuple[int, ...]) -> keras.Model:
        """A fresh model for inputs of ``input_shape`` (called inside the seeding context)."""
        raise NotImplementedError

    def _architecture(self, input_shape: tuple[int, ...], model: keras.Model) -> tuple:
        """What identifies the network ``model`` built by ``_network`` (its engine key)."""
        params = sorted((k, repr(v)) for k, v in self._builder_params().items())
        return (getattr(self, "n_classes_", None), tuple(params))

    def _head_of(self, model: keras.Model):
        """The output contract of ``model`` (checked: a user's network may not fit it)."""
        raise NotImplementedError

    def _builder_params(self) -> dict:
        """The architecture parameters, as the builder takes them (named in errors)."""
        return {}

    def _check_family_params(self) -> None:
        """Cross-parameter checks of a family (single parameters have constraints)."""

    def _check_X(self, X, *, reset: bool) -> np.ndarray:
        """Validate X and return a float32 array shaped for the network."""
        return check_features(self, X, reset=reset)

    def _max_samples_per_call(self) -> int | None:
        """Most samples one inference call may take (None: bounded by input values only)."""
        return None

    def _phases(self, settings: RunSettings, partial: bool) -> list[Phase]:
        """The training phases of one fit; most families train one network in one phase."""
        return [Phase("train", settings, head=self._head_of, start=self._start_phase)]

    # ------------------------------------------------------------------ validation
    def _check_params(self) -> None:
        """Every cross-parameter check, in one place, before any data is touched."""
        check_recipe(self)
        self._check_family_params()

    def _optimizer_spec(self) -> OptimizerSpec:
        return OptimizerSpec(
            self.optimizer, self.learning_rate, self.momentum, self.clipnorm, self.clipvalue
        )

    def _run_settings(self, partial: bool) -> RunSettings:
        return RunSettings(
            epochs=1 if partial else self.epochs,
            batch_size=self.batch_size,
            learning_rate=base_learning_rate(self.optimizer, self.learning_rate),
            early_stopping=self.early_stopping and not partial,
            patience=self.patience,
            seed=fit_seed(self.random_state),
            verbose=self.verbose,
            max_samples=self._max_samples_per_call(),
            optimizer=describe(self.optimizer),
            schedule=schedule_of(self),
            monitor=self.monitor,
            min_delta=self.min_delta,
            callbacks=tuple(fit_callbacks(self.callbacks)),
        )

    def _holdout(self, partial: bool) -> float | None:
        """The validation fraction of this fit (``partial_fit`` holds nothing out)."""
        return None if partial else holdout(self.validation_fraction, self.early_stopping)

    # ------------------------------------------------------------------ fit template
    def _continues(self, partial: bool) -> bool:
        fitted = hasattr(self, "model_") or getattr(self, "_parked_state", None) is not None
        return fitted and (partial or self.warm_start)

    def _fit(self, X, y, sample_weight, *, partial: bool, classes=None):
        self._validate_params()
        self._check_params()
        continuing = self._continues(partial)
        with fit_transaction(self) as transaction:
            X = self._check_X(X, reset=not continuing)
            y = self._check_target(y, len(X), continuing=continuing, classes=classes)
            sample_weight = check_sample_weight(sample_weight, X)
            if not continuing:
                self._parked_state = None
            settings = self._run_settings(partial)
            data = self._prepare(X, y, sample_weight, settings, partial)
            self._train(data, settings, transaction, continuing, partial)
        return self

    def _prepare(self, X, y, sample_weight, settings: RunSettings, partial: bool):
        fraction = self._holdout(partial)
        return prepare(X, y, sample_weight, validation_fraction=fraction, seed=settings.seed)

    def _train(self, data, settings, transaction, continuing: bool, partial: bool) -> None:
        self._optimizer_spec().warn_unused_momentum(stacklevel=6)
        previous = self.model_ if continuing and hasattr(self, "model_") else None
        record = Record.start(self, continuing)
        model = previous
        for phase in self._phases(settings, partial):
            model = phase.run(model, data, record, transaction)
            continue_logs(settings.callbacks)  # a later phase appends to the same logs
        self.model_ = model
        record.store(self)

    # ------------------------------------------------------------------ networks
    def _loss(self, head):
        """The loss a network skdeep compiles trains with."""
        return head.loss

    def _compile(self, model: keras.Model, head) -> None:
        compile_model(model, self._optimizer_spec(), self._loss(head))

    def _start_phase(self, previous, data, settings, transaction):
        return phase_network(self, previous, data, settings, transaction), data, settings

    def _park_training_state(self) -> bool:
        """Park the network (see :func:`skdeep._training._networks.park`)."""
        return park_network(self)

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
        X = self._check_X(X, reset=False)
        return forward(self.model_, X, self.batch_size, self._max_samples_per_call())


class SkdeepClassifier(ClassifierMixin, SkdeepEstimator):
    """Base class of skdeep's classifiers: labels, class weights and samplers; not used directly."""

    _parameter_constraints: dict = {
        **SkdeepEstimator._parameter_constraints,
        "monitor": [StrOptions(set(CLASSIFIER_MONITORS))],
        "class_weight": [None, StrOptions({"balanced"}), dict],
        "sampler": [None, HasMethods(["fit_resample"])],
    }

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
        return self._fit(X, y, sample_weight, partial=False)

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
        return self._fit(X, y, sample_weight, partial=True, classes=classes)

    def _check_target(self, y, n_x: int, *, continuing: bool, classes) -> np.ndarray:
        """Labels -> codes ``0 .. n_classes - 1``; sets ``classes_`` on a first fit."""
        y = check_classification_y(self, y, n_x, require_two=not continuing and classes is None)
        if not continuing:
            self.classes_ = np.unique(y if classes is None else np.asarray(classes))
            self.n_classes_ = len(self.classes_)
        unknown = np.setdiff1d(np.unique(y), self.classes_)
        if unknown.size:
            raise DataError(
                "y holds labels the network has no output for. The first fit (or classes=) "
                f"fixed the classes. Expected labels in {self.classes_.tolist()}. Received: new "
                f"labels {unknown.tolist()}"
            )
        return np.searchsorted(self.classes_, y)

    def _prepare(self, X, y, sample_weight, settings: RunSettings, partial: bool):
        data = prepare(
            X,
            y,
            sample_weight,
            validation_fraction=self._holdout(partial),
            seed=settings.seed,
            sampler=None if partial else self.sampler,
            class_weight=self.class_weight,
            classes=self.classes_,
        )
        self.class_weight_ = data.class_weight
        return data

    def _head_of(self, model: keras.Model) -> ClassifierHead:
        """The head of ``model`` (its output width says how many units it has)."""
        return ClassifierHead(self.n_classes_, int(model.output_shape[-1]))

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
        return self._head_of(self.model_).proba(raw)

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


def park(estimator) -> bool:
    """Park a fitted skdeep estimator's network (see ``SkdeepEstimator._park_training_state``).

    Returns False, parking nothing, for other estimators and for families that cannot park.
    """
    return isinstance(estimator, SkdeepEstimator) and estimator._park_training_state()
