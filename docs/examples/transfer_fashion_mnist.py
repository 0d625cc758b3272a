"""Transfer learning on Fashion-MNIST: a head search on cached features, then fine-tuning.

Runs in about a minute on a laptop CPU. Uses the MobileNet v1 ImageNet weights that
``make data`` installs (converted offline by ``skdeep.pretrained``); without them it falls back
to a random base (``weights=None``), which runs the same code but scores near chance: a frozen
random MobileNet produces no usable features.
"""

from sklearn.model_selection import GridSearchCV

from skdeep import TransferClassifier
from skdeep.datasets import FASHION_MNIST_CLASSES, load_fashion_mnist
from skdeep.exceptions import DatasetNotFoundError
from skdeep.pretrained import mobilenet_v1_imagenet_weights

(X_train, y_train), (X_test, y_test) = load_fashion_mnist()
X_train, y_train = X_train[:3000], y_train[:3000]  # a small-data problem: 300 images per class
X_test, y_test = X_test[:1000], y_test[:1000]

try:
    weights = mobilenet_v1_imagenet_weights()  # converted once, then read from the cache
except DatasetNotFoundError as exc:
    print(f"{exc}\n-> falling back to weights=None: expect chance-level accuracy")
    weights = None

# 1. Search the head. The base is frozen and there is no augmentation, so every image goes
#    through MobileNet once; the 13 fits below train only the head on cached features.
model = TransferClassifier(
    weights=weights, input_size=64, epochs=15, early_stopping=True, patience=3, random_state=0
)
search = GridSearchCV(model, {"dense_units": [0, 128], "dropout": [0.2, 0.5]}, cv=3)
search.fit(X_train, y_train)  # uint8 28x28 grayscale images, as loaded
print("best head:", search.best_params_, f"cv accuracy {search.best_score_:.3f}")
print("feature cache:", TransferClassifier.feature_cache.stats())
best = search.best_estimator_
print(f"test accuracy, head only: {best.score(X_test, y_test):.3f}")

# 2. Fine-tune: continue the best model with the top 6 layers of MobileNet unfrozen, at a
#    small learning rate (batch-norm layers stay frozen, in inference mode). With early
#    stopping, the fine-tuned weights are kept only if they beat the head alone on the
#    validation split.
best.set_params(
    warm_start=True, epochs=1, fine_tune_epochs=2, trainable_layers=6, fine_tune_learning_rate=5e-5
)
best.fit(X_train, y_train)
print(f"test accuracy, fine-tuned: {best.score(X_test, y_test):.3f}")
print(
    f"epochs: {best.n_epochs_} ({best.n_fine_tune_epochs_} fine-tuning), "
    f"weights kept from epoch {best.best_epoch_}"
)
print("first prediction:", FASHION_MNIST_CLASSES[best.predict(X_test[:1])[0]])
