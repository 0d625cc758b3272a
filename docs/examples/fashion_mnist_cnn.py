"""Fashion-MNIST with CNNClassifier: search augmentation and dropout, then score on test images.

A few thousand images keep this to a minute or two on a laptop CPU. The data come from
``skdeep.datasets.load_fashion_mnist()``: run ``make data`` once (it installs the Debian
package ``dataset-fashion-mnist``), or let Keras download them when you have internet.

Run: ``python docs/examples/fashion_mnist_cnn.py``
"""

from sklearn.metrics import classification_report
from sklearn.model_selection import GridSearchCV, train_test_split

from skdeep import CNNClassifier
from skdeep.datasets import FASHION_MNIST_CLASSES, load_fashion_mnist

(X_train, y_train), (X_test, y_test) = load_fashion_mnist()
# a stratified subset: 3,000 training and 2,000 test images (uint8, 28x28, as loaded)
X_train, _, y_train, _ = train_test_split(
    X_train, y_train, train_size=3000, stratify=y_train, random_state=0
)
X_test, _, y_test, _ = train_test_split(
    X_test, y_test, train_size=2000, stratify=y_test, random_state=0
)

cnn = CNNClassifier(
    n_blocks=2, filters=16, dense_units=64, batch_norm=True, epochs=8, random_state=0
)
# augmentation is active in training only: every validation fold sees the original images
search = GridSearchCV(
    cnn,
    {"flip": [None, "horizontal"], "dropout": [0.1, 0.3]},
    cv=3,
)
search.fit(X_train, y_train)  # uint8 images are divided by 255 inside the estimator

print("best parameters:", search.best_params_)
print(f"cross-validated accuracy: {search.best_score_:.3f}")
print(f"test accuracy: {search.score(X_test, y_test):.3f}")
print(classification_report(y_test, search.predict(X_test), target_names=FASHION_MNIST_CLASSES))
