"""The course's Wide & Deep network on breast_cancer: a grid search, then a nested k-fold study.

Wide & Deep (Cheng et al., 2016) is a non-sequential model: the input goes through a deep
path of Dense layers *and* straight to the output (the "wide" path), both concatenated
before the output layer. It cannot be a ``keras.Sequential``; it is a few lines of Keras'
functional API in a function that ``skdeep.KerasClassifier`` calls at every fit.

1. ``GridSearchCV`` tunes the depth and width of the deep path inside
   ``Pipeline(StandardScaler, KerasClassifier)`` on a training split, then scores the refit
   model on the held-out test split.
2. ``cross_validate_study`` runs that whole search inside each of 5 outer folds (nested
   cross-validation): the outer test folds never influence the choice of hyper-parameters,
   so the reported spread is an honest estimate for the tuning procedure.

About 3 minutes on two CPU cores. Run: ``python docs/examples/wide_and_deep_breast_cancer.py``
"""

import keras
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import KerasClassifier
from skdeep.evaluation import cross_validate_study
from skdeep.metrics import make_scorers


def wide_and_deep(meta, units=30, n_hidden=2, dropout=0.0):
    """Deep path of ``n_hidden`` Dense layers; the input joins it again before the output."""
    inputs = keras.Input(shape=meta["input_shape"])
    deep = inputs
    for _ in range(n_hidden):
        deep = keras.layers.Dense(units, activation="relu")(deep)
        deep = keras.layers.Dropout(dropout)(deep)
    wide_and_deep = keras.layers.Concatenate()([inputs, deep])
    # meta["n_outputs"]: 1 for two classes (a sigmoid unit, the probability of classes_[1]),
    # else one softmax unit per class
    n_outputs = meta["n_outputs"]
    activation = "sigmoid" if n_outputs == 1 else "softmax"
    outputs = keras.layers.Dense(n_outputs, activation=activation)(wide_and_deep)
    return keras.Model(inputs, outputs)


data = load_breast_cancer()
X, y = data.data, np.where(data.target == 0, "malignant", "benign")
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

pipe = make_pipeline(
    StandardScaler(),
    KerasClassifier(
        wide_and_deep,
        model__dropout=0.1,
        epochs=100,
        early_stopping=True,  # a stratified 10% of each training fold, never its test fold
        patience=10,
        random_state=0,
    ),
)
grid = {
    "kerasclassifier__model__units": [16, 64],
    "kerasclassifier__model__n_hidden": [1, 2],
}
scoring = make_scorers(pos_label="malignant")
search = GridSearchCV(pipe, grid, cv=3, scoring=scoring, refit="f1")

# 1. Search on the training split, score on the test split
search.fit(X_train, y_train)
print("best parameters:", search.best_params_)
print(f"cross-validated f1 of the best candidate: {search.best_score_:.3f}")
print("held-out test set:")
for name, scorer in scoring.items():
    print(f"  {name:<12} {scorer(search, X_test, y_test):.3f}")

# 2. Nested cross-validation: the search (scaler, 4 candidates x 3 inner folds, refit) runs
#    again inside every outer training fold
study = cross_validate_study(
    search, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0), scoring=scoring
)
print(study.report())
