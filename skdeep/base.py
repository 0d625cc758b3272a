"""The fit contract every skdeep estimator shares, as a short template over named steps.

``SkdeepEstimator.fit``: validate the parameters (one place), check the data, prepare it in the
leakage order (:mod:`skdeep._training._prepare`), train each phase
(:mod:`skdeep._training._phases`) and record the result, inside a transaction
(:mod:`skdeep._training._state`): a failed fit leaves the estimator exactly as it was. A family
adds a builder, its flat parameters and its checks; ``SkdeepClassifier`` adds labels, class
weights and samplers, ``SkdeepRegressor`` losses and target scaling. Why skdeep departs from
scikeras: ``docs/design-notes.md``.
"""

from __future__ import annotations

from . import _keras  # noqa: F401  # isort: skip  (Keras backend set-up first)
from numbers import Real

import keras
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

from ._persistence._mixin import SavableMixin
from ._training._callbacks import continue_logs
from ._training._data import check_features, check_sample_weight
from ._training._fit_cache import engine_for, fit_cache, store_fit
from ._training._head import (
    CLASSIFIER_MONITORS,
    REGRESSION_LOSSES,
    REGRESSOR_MONITORS,
    ClassifierHead,
    RegressorHead,
)
from ._training._inference import forward
from ._training._model import STEPS_PER_EXECUTION, compile_model
from ._training._networks import fresh_network, phase_network
from ._training._networks import park as park_network
from ._training._phases import Phase, Record, RunSettings
from ._training._prepare import prepare, target_scaling
from ._training._recipe import (
    TRAINING_CONSTRAINTS,
    check_recipe,
    holdout,
    optimizer_spec,
    run_settings,
)
from ._training._split import quantile_strata
from ._training._state import check_fitted, fit_transaction
from ._training._targets import check_targets, encode_labels
from .utils._compat import HasMethods, Interval, StrOptions

__all__ = ["SkdeepClassifier", "SkdeepEstimator", "SkdeepRegressor"]


class SkdeepEstimator(SavableMixin, BaseEstimator):
    """Base class of skdeep's Keras estimators; not used directly.

    Subclasses write out their parameters in a keyword-only ``__init__`` (assignment only),
    extend ``_parameter_constraints``, and implement ``_network`` (a fresh uncompiled model)
    and ``_architecture`` (what identifies it); see :mod:`skdeep.estimators`.
    """

    _parameter_constraints: dict = TRAINING_CONSTRAINTS

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
        return (tuple(sorted(self._output().items())), tuple(params))

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

    _optimizer_spec = optimizer_spec
    _run_settings = run_settings

    def _holdout(self, partial: bool) -> float | None:
        """The validation fraction of this fit (``partial_fit`` holds nothing out)."""
        return None if partial else holdout(self.validation_fraction, self.early_stopping)

    # ------------------------------------------------------------------ fit template
    def fit(self, X, y, sample_weight=None):
        """Train the network on ``(X, y)``.

        Parameters
        ----------
        X : array-like or DataFrame
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Class labels (strings, integers or booleans; at least two classes) for a
            classifier, numeric targets for a regressor.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample loss weights (multiplied with a classifier's class weights).

        Returns
        -------
        self
        """
        return self._fit(X, y, sample_weight, partial=False)

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
            cache = fit_cache(self, X, y, sample_weight, settings.seed, continuing=continuing)
            loader = engine_for(self, data, settings, transaction, fresh_network)
            if cache is None or not cache.restore(self, loader):
                self._train(data, settings, transaction, continuing, partial)
                store_fit(cache, self)
        return self

    def _prepare(self, X, y, sample_weight, settings: RunSettings, partial: bool):
        fraction = self._holdout(partial)
        return prepare(X, y, sample_weight, validation_fraction=fraction, seed=settings.seed)

    def _train(self, data, settings, transaction, continuing: bool, partial: bool) -> None:
        self._optimizer_spec().warn_unused_momentum(stacklevel=6)
        model = self.model_ if continuing and hasattr(self, "model_") else None
        record = Record.start(self, continuing)
        for phase in self._phases(settings, partial):
            model = phase.run(model, data, record, transaction)
            continue_logs(settings.callbacks)  # a later phase appends to the same logs
        self.model_ = model
        record.store(self)

    # ------------------------------------------------------------------ networks
    def _loss(self, head):
        """The loss a network skdeep compiles trains with."""
        return head.loss

    def _compile(self, model: keras.Model, head, steps: int = STEPS_PER_EXECUTION) -> None:
        compile_model(model, self._optimizer_spec(), self._loss(head), head.metrics, steps)

    def _start_phase(self, previous, data, settings, transaction):
        return phase_network(self, previous, data, settings, transaction), data, settings

    def _park_training_state(self) -> bool:
        """Park the network (see :func:`skdeep._training._networks.park`)."""
        return park_network(self)

    # ------------------------------------------------------------------ predict
    _check_fitted = check_fitted

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

    _check_target = encode_labels

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

    def _output(self) -> dict:
        """The builder keywords of the output layer."""
        return {"n_classes": self.n_classes_}

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


class SkdeepRegressor(RegressorMixin, SkdeepEstimator):
    """Base class of skdeep's regressors: numeric targets, losses, target scaling."""

    _parameter_constraints: dict = {
        **SkdeepEstimator._parameter_constraints,
        "monitor": [StrOptions(set(REGRESSOR_MONITORS))],
        "loss": [StrOptions(set(REGRESSION_LOSSES))],
        "huber_delta": [Interval(Real, 0, None, closed="neither")],
        "scale_target": ["boolean"],
    }

    def partial_fit(self, X, y, sample_weight=None) -> SkdeepRegressor:
        """Train for one more epoch on ``(X, y)`` (no early stopping).

        Parameters
        ----------
        X, y, sample_weight
            As in :meth:`fit`. The first call fixes the target scaling.

        Returns
        -------
        self
        """
        return self._fit(X, y, sample_weight, partial=True)

    _check_target = check_targets

    def _prepare(self, X, y, sample_weight, settings: RunSettings, partial: bool):
        fraction = self._holdout(partial)
        strata = None if fraction is None else quantile_strata(y, fraction)
        data = prepare(
            X, y, sample_weight, validation_fraction=fraction, seed=settings.seed, stratify=strata
        )
        if not hasattr(self, "target_mean_") or not self._continues(partial):
            # standardised on the training part only: no leak from the validation part
            self.target_mean_, self.target_scale_ = target_scaling(data.train, self.scale_target)
        return data

    def _head_of(self, model: keras.Model) -> RegressorHead:
        scaling = (self.target_mean_, self.target_scale_)
        return RegressorHead(self.n_outputs_, self.loss, self.huber_delta, *scaling)

    def _architecture(self, input_shape: tuple[int, ...], model: keras.Model) -> tuple:
        return (*super()._architecture(input_shape, model), self.loss, self.huber_delta)

    def _output(self) -> dict:
        return {"n_outputs": self.n_outputs_}

    def predict(self, X) -> np.ndarray:
        """Predicted values, shape (n_samples,) or (n_samples, n_outputs) like ``y`` in fit.

        Parameters
        ----------
        X : array-like or DataFrame

        Returns
        -------
        ndarray
        """
        raw = self._predict_raw(X)
        out = self._head_of(self.model_).predict(raw)
        return out.ravel() if self.y_ndim_ == 1 else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
