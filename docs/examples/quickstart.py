"""Quickstart: a tuned, leakage-free ANNClassifier on breast_cancer with imbalance handling."""

from imblearn.over_sampling import SMOTE
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import ANNClassifier
from skdeep.metrics import make_scorers

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

pipe = make_pipeline(
    StandardScaler(),
    ANNClassifier(epochs=100, early_stopping=True, sampler=SMOTE(), random_state=0),
)
grid = {"annclassifier__units": [16, 64], "annclassifier__dropout": [0.0, 0.3]}
search = GridSearchCV(pipe, grid, cv=3, scoring=make_scorers(), refit="f1")
search.fit(X_train, y_train)

best = search.best_estimator_[-1]
print("best parameters:", search.best_params_)
print(f"epochs run {best.n_epochs_}, best epoch {best.best_epoch_}")
for name, scorer in make_scorers().items():
    print(f"{name:<12} {scorer(search, X_test, y_test):.3f}")
