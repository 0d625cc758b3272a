"""Search a learning-rate schedule and its warm-up inside a Pipeline, then read the curves.

Runs in about a minute on a 2-core CPU. Every epoch's learning rate is in
``history_["learning_rate"]``; a fixed-epoch fit with ``validation_fraction`` records its
validation curve; a CSVLogger with ``{fit}`` in its file name writes one log per fit.
"""

import tempfile
from pathlib import Path

import keras
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import ANNClassifier

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

logs = Path(tempfile.mkdtemp()) / "logs"
model = ANNClassifier(
    epochs=40,
    learning_rate=0.01,
    early_stopping=True,
    monitor="val_auc",  # stop on the validation AUC, not on the loss
    patience=8,
    callbacks=[keras.callbacks.CSVLogger(str(logs / "{fit}.csv"))],
    random_state=0,
)
pipe = make_pipeline(StandardScaler(), model)
grid = {
    "annclassifier__lr_schedule": ["constant", "cosine", "step"],
    "annclassifier__warmup_epochs": [0, 3],
}
search = GridSearchCV(pipe, grid, cv=3, scoring="roc_auc").fit(X_train, y_train)
print("best:", search.best_params_, f"cv AUC {search.best_score_:.3f}")
print(f"held-out AUC: {search.score(X_test, y_test):.3f}")
best = search.best_estimator_[-1]
print("learning rate per epoch:", [round(r, 5) for r in best.history_["learning_rate"][:8]], "...")
print(f"restored epoch {best.best_epoch_} of {best.n_epochs_}")
print(f"{len(list(logs.iterdir()))} CSV logs, one per fit")

# a fixed-epoch fit with a validation part: the train-vs-validation picture of overfitting
curve = make_pipeline(
    StandardScaler(), ANNClassifier(epochs=30, validation_fraction=0.2, random_state=0)
).fit(X_train, y_train)
history = curve[-1].history_
gap = history["val_loss"][-1] - history["loss"][-1]
print(
    f"final loss {history['loss'][-1]:.3f}, validation loss {history['val_loss'][-1]:.3f} "
    f"(gap {gap:+.3f})"
)
