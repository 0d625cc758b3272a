"""The output contract of a classifier network, decided in one place.

A network for ``n_classes`` classes ends in ``n_outputs`` units: one sigmoid unit for two
classes (:func:`skdeep.builders.output_units`, the rule skdeep's own builders follow), or one
softmax unit per class. A user's network may also give two classes two softmax units. Everything
that depends on that choice (the loss, the Keras target, probabilities, the NumPy validation
loss) is a method of :class:`ClassifierHead`, so the rule cannot drift between places.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..builders._blocks import classification_loss, output_units

__all__ = [
    "CLASSIFIER_MONITORS",
    "REGRESSION_LOSSES",
    "REGRESSOR_MONITORS",
    "ClassifierHead",
    "CompiledLossHead",
    "CompiledLossRegressorHead",
    "RegressorHead",
    "compiled_loss",
]

_EPS = 1e-7
#: What early stopping may watch on a classifier's validation part (loss: lower is better).
CLASSIFIER_MONITORS = (
    "val_loss",
    "val_accuracy",
    "val_auc",
    "val_f1",
    "val_recall",
    "val_precision",
    "val_specificity",
)


def _validation_metric(name: str, y: np.ndarray, proba: np.ndarray, n_classes: int) -> float:
    """A monitored metric on encoded labels ``y``: binary for two classes (the positive class
    is ``classes_[1]``), else the unweighted mean over classes ("macro")."""
    from sklearn import metrics

    from ..metrics import specificity_score

    pred = np.argmax(proba, axis=1)
    average = "binary" if n_classes == 2 else "macro"
    labels = np.arange(n_classes)
    if name == "val_auc":
        if len(np.unique(y)) < n_classes:
            return float("nan")  # undefined while a class is absent from the part
        if n_classes == 2:
            return float(metrics.roc_auc_score(y, proba[:, 1]))
        return float(metrics.roc_auc_score(y, proba, multi_class="ovr", labels=labels))
    scorers = {
        "val_f1": metrics.f1_score,
        "val_recall": metrics.recall_score,
        "val_precision": metrics.precision_score,
    }
    if name in scorers:
        return float(scorers[name](y, pred, average=average, labels=labels, zero_division=0))
    return float(specificity_score(y, pred, average=average, labels=labels))


@dataclass(frozen=True)
class ClassifierHead:
    """How ``n_classes`` classes map onto ``n_outputs`` network outputs.

    Examples
    --------
    >>> import numpy as np
    >>> head = ClassifierHead.for_classes(2)
    >>> head.n_outputs, head.loss
    (1, 'binary_crossentropy')
    >>> head.proba(np.array([[0.25]], "float32")).tolist()
    [[0.75, 0.25]]
    """

    n_classes: int
    n_outputs: int
    metrics: tuple[str, ...] = ("accuracy",)
    one_hot: bool = False  # targets as one-hot rows (a categorical_crossentropy loss)

    @classmethod
    def for_classes(cls, n_classes: int) -> ClassifierHead:
        """The head skdeep's builders give ``n_classes`` classes."""
        return cls(n_classes, output_units(n_classes))

    @classmethod
    def accepted_outputs(cls, n_classes: int) -> tuple[int, ...]:
        """Output widths a network for ``n_classes`` classes may have (user models)."""
        return (1, 2) if n_classes == 2 else (n_classes,)

    @property
    def loss(self) -> str:
        """The Keras loss matching the outputs, for integer-encoded targets."""
        return classification_loss(self.n_outputs)

    def keras_target(self, y_enc: np.ndarray) -> np.ndarray:
        """The training target Keras gets for encoded labels ``0 .. n_classes - 1``."""
        if self.n_outputs == 1:
            return y_enc.astype(np.float32).reshape(-1, 1)
        if self.one_hot:
            return np.eye(self.n_outputs, dtype=np.float32)[y_enc]
        return y_enc.astype(np.int32)

    def proba(self, raw: np.ndarray) -> np.ndarray:
        """Class probabilities, shape ``(n, n_classes)``, from network outputs ``raw``."""
        if self.n_outputs == 1:
            p = raw.reshape(-1)
            return np.column_stack([1.0 - p, p])
        return raw

    def validation_loss(
        self, raw: np.ndarray, y_enc: np.ndarray, weights: np.ndarray | None
    ) -> float:
        """Keras' cross-entropy of network outputs ``raw`` (weighted mean over the samples)."""
        if self.n_outputs == 1:
            p = np.clip(raw[:, 0].astype(np.float64), _EPS, 1 - _EPS)
            losses = -(y_enc * np.log(p) + (1 - y_enc) * np.log(1 - p))
        else:
            p = np.clip(raw[np.arange(len(y_enc)), y_enc].astype(np.float64), _EPS, 1.0)
            losses = -np.log(p)
        return float((losses if weights is None else losses * weights).mean())

    def validation_logs(
        self,
        raw: np.ndarray,
        y_enc: np.ndarray,
        weights: np.ndarray | None,
        extra: tuple[str, ...] = (),
    ) -> dict[str, float]:
        """``val_loss`` (:meth:`validation_loss`), ``val_accuracy`` and the ``extra``
        monitored metrics of :data:`CLASSIFIER_MONITORS` (unweighted)."""
        if self.n_outputs == 1:
            pred = (raw[:, 0] > 0.5).astype(y_enc.dtype)
        else:
            pred = np.argmax(raw, axis=1)
        logs = {
            "val_loss": self.validation_loss(raw, y_enc, weights),
            "val_accuracy": float(np.mean(pred == y_enc)),
        }
        for name in extra:
            if name not in logs:
                logs[name] = _validation_metric(name, y_enc, self.proba(raw), self.n_classes)
        return logs


def compiled_loss(loss, y_true: np.ndarray, raw: np.ndarray, weights: np.ndarray | None) -> float:
    """A Keras loss on one batch as Keras computes it (weighted mean over the samples).

    ``loss`` is what a network was compiled with: a Keras loss name, a ``keras.losses.Loss``
    or a function ``loss(y_true, y_pred) -> per-sample losses``.
    """
    import keras

    if isinstance(loss, keras.losses.Loss):
        value = loss(y_true, raw, sample_weight=weights)
    else:
        per_sample = keras.ops.convert_to_numpy(keras.losses.get(loss)(y_true, raw))
        per_sample = per_sample.astype(np.float64).reshape(len(y_true), -1).mean(axis=1)
        value = per_sample.mean() if weights is None else (per_sample * weights).mean()
    return float(keras.ops.convert_to_numpy(value))


class _CompiledValidationLoss:
    """Mixin of a head whose ``val_loss`` is its ``compiled_loss`` (a dataclass field of the
    head), computed as Keras computes it; the other validation logs are the base head's."""

    def validation_loss(self, raw: np.ndarray, y: np.ndarray, weights: np.ndarray | None) -> float:
        return compiled_loss(self.compiled_loss, self.keras_target(y), raw, weights)


@dataclass(frozen=True)
class CompiledLossHead(_CompiledValidationLoss, ClassifierHead):
    """A classifier head whose validation loss is the network's own compiled loss."""

    compiled_loss: object = None


#: Losses of a regressor: name -> what the Keras loss computes per sample (NumPy, on errors).
REGRESSION_LOSSES = ("mse", "mae", "huber", "log_cosh")
#: What early stopping may watch on a regressor's validation part (lower is better but R²).
REGRESSOR_MONITORS = ("val_loss", "val_mae", "val_rmse", "val_r2")


@dataclass(frozen=True, eq=False)
class RegressorHead:
    """How a regressor's targets map onto its ``n_outputs`` linear network outputs.

    With ``mean``/``scale`` (target scaling), the network learns ``(y - mean) / scale`` and its
    outputs are mapped back: the training and validation losses are in those standardised
    units, ``val_mae``, ``val_rmse`` and ``val_r2`` in the target's own units.

    Examples
    --------
    >>> import numpy as np
    >>> head = RegressorHead(1, "mse", mean=np.array([10.0]), scale=np.array([2.0]))
    >>> head.keras_target(np.array([[12.0], [8.0]])).ravel().tolist()
    [1.0, -1.0]
    >>> head.predict(np.array([[0.5]], "float32")).tolist()
    [[11.0]]
    """

    n_outputs: int
    loss_name: str = "mse"
    huber_delta: float = 1.0
    mean: np.ndarray | None = None
    scale: np.ndarray | None = None
    metrics: tuple[str, ...] = ()

    @property
    def loss(self):
        """The Keras loss the network trains with."""
        import keras

        if self.loss_name == "huber":
            return keras.losses.Huber(delta=self.huber_delta)
        return {"mse": "mean_squared_error", "mae": "mean_absolute_error"}.get(
            self.loss_name, "log_cosh"
        )

    def keras_target(self, y: np.ndarray) -> np.ndarray:
        """The training target: ``(y - mean) / scale`` as float32 ``(n, n_outputs)``."""
        y = np.asarray(y, dtype=np.float64).reshape(len(y), self.n_outputs)
        if self.mean is not None:
            y = (y - self.mean) / self.scale
        return y.astype(np.float32)

    def predict(self, raw: np.ndarray) -> np.ndarray:
        """Predictions in the target's units, ``(n, n_outputs)`` float64."""
        out = np.asarray(raw, dtype=np.float64).reshape(len(raw), self.n_outputs)
        return out if self.mean is None else out * self.scale + self.mean

    def per_sample_loss(self, errors: np.ndarray) -> np.ndarray:
        """Keras' loss per sample (mean over the outputs) of standardised ``errors``."""
        a = np.abs(errors)
        if self.loss_name == "mse":
            values = errors**2
        elif self.loss_name == "mae":
            values = a
        elif self.loss_name == "huber":
            d = self.huber_delta
            values = np.where(a <= d, 0.5 * errors**2, d * (a - 0.5 * d))
        else:  # log_cosh, as Keras computes it (no overflow for large errors)
            values = a + np.log1p(np.exp(-2 * a)) - np.log(2.0)
        return values.mean(axis=1)

    def validation_loss(self, raw: np.ndarray, y: np.ndarray, weights: np.ndarray | None) -> float:
        """The training loss of network outputs ``raw`` (weighted mean over the samples), in
        standardised units."""
        errors = raw.astype(np.float64).reshape(len(raw), -1) - self.keras_target(y)
        losses = self.per_sample_loss(errors)
        return float((losses if weights is None else losses * weights).mean())

    def validation_logs(
        self,
        raw: np.ndarray,
        y: np.ndarray,
        weights: np.ndarray | None,
        extra: tuple[str, ...] = (),
    ) -> dict[str, float]:
        """``val_loss`` (:meth:`validation_loss`), ``val_mae`` and the ``extra`` monitored
        values."""
        pred = self.predict(raw)
        truth = np.asarray(y, dtype=np.float64).reshape(pred.shape)
        residual = pred - truth
        logs = {
            "val_loss": self.validation_loss(raw, y, weights),
            "val_mae": float(np.abs(residual).mean()),
        }
        if "val_rmse" in extra:
            logs["val_rmse"] = float(np.sqrt((residual**2).mean()))
        if "val_r2" in extra:
            from sklearn.metrics import r2_score

            logs["val_r2"] = float(r2_score(truth, pred))
        return logs


@dataclass(frozen=True, eq=False)
class CompiledLossRegressorHead(_CompiledValidationLoss, RegressorHead):
    """A regressor head whose validation loss is the network's own compiled (or given) loss."""

    compiled_loss: object = None

    @property
    def loss(self):
        return self.compiled_loss
