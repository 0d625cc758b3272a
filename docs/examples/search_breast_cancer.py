"""Tuning an ANNClassifier on breast_cancer: epoch halving, then coarse-to-fine, then a test report.

Needs about 70 s of CPU time (a minute or two on two cores). Each search draws a progress
bar on stderr.
"""

from sklearn.datasets import load_breast_cancer
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import ANNClassifier
from skdeep.metrics import make_scorers
from skdeep.model_selection import CoarseToFineSearchCV, EpochHalvingSearchCV, search_space

data = load_breast_cancer()
X, y = data.data, data.target_names[data.target]  # labels "malignant" / "benign"
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
scoring = make_scorers(pos_label="malignant")  # accuracy, precision, recall, specificity, f1
cv = StratifiedKFold(3, shuffle=True, random_state=0)
pipe = make_pipeline(StandardScaler(), ANNClassifier(batch_size=32, random_state=0))

# 1. Successive halving over epochs: 9 candidates for 2 epochs, the best 3 continue to 6,
#    the best one to 18. Survivors keep training instead of restarting.
space = search_space(pipe, "random")  # annclassifier__n_layers, __units, __dropout, ...
halving = EpochHalvingSearchCV(
    pipe,
    space,
    min_epochs=2,
    max_epochs=18,
    factor=3,
    cv=cv,
    scoring=scoring,
    refit="f1",
    random_state=0,
    verbose=1,
).fit(X_train, y_train)
full_cost = halving.n_candidates_[0] * cv.get_n_splits() * 18
best_params = {k.split("__")[1]: round(float(v), 4) for k, v in halving.best_params_.items()}
print(f"epoch halving: best CV f1 {halving.best_score_:.3f} with {best_params}")
print(
    f"  {halving.n_epochs_total_} training epochs; training all {halving.n_candidates_[0]} "
    f"candidates to 18 epochs would take {full_cost}"
)

# 2. Coarse-to-fine: 6 random candidates, then a grid of at most 3 around the best one.
pipe.set_params(annclassifier__epochs=18)
c2f = CoarseToFineSearchCV(
    pipe,
    space,
    n_coarse=6,
    n_fine=3,
    fine="grid",
    shrink=0.3,
    cv=cv,
    scoring=scoring,
    refit="f1",
    random_state=0,
    verbose=1,
).fit(X_train, y_train)
print("coarse-to-fine results (stage, f1, learning rate, dropout):")
results = c2f.cv_results_
for stage, f1, lr, dropout in zip(
    results["stage"],
    results["mean_test_f1"],
    results["param_annclassifier__learning_rate"],
    results["param_annclassifier__dropout"],
):
    print(f"  {stage:<7} {f1:.3f}  lr={lr:.2e}  dropout={dropout:.2f}")
print("  fine-stage space:", c2f.fine_space_)

# 3. The better of the two on the held-out test set.
best = max((halving, c2f), key=lambda s: s.best_score_)
print(f"held-out test set ({type(best).__name__}'s model):")
for name, scorer in scoring.items():
    print(f"  {name:<12} {scorer(best, X_test, y_test):.3f}")
labels = ["malignant", "benign"]
print("confusion matrix (rows true, columns predicted: malignant, benign):")
print(confusion_matrix(y_test, best.predict(X_test), labels=labels))
