"""Memory stays flat over many sequential fits (fails on a per-fit leak)."""

import gc

import numpy as np
import pytest

from skdeep import ANNClassifier


def _rss_mb() -> float:
    import os

    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def test_rss_flat_over_repeated_fits(binary_data):
    X, y = binary_data
    for seed in range(5):  # warm-up: first traces of this architecture, allocator pools
        est = ANNClassifier(epochs=1, units=16, dropout=0.1, random_state=seed).fit(X, y)
        est.predict_proba(X)
    gc.collect()
    start = _rss_mb()
    for seed in range(40):
        est = ANNClassifier(epochs=1, units=16, dropout=0.1, random_state=seed).fit(X, y)
        est.predict_proba(X)
    gc.collect()
    growth = _rss_mb() - start
    # Without compiled-model reuse every fit leaks its traced graphs: ~4 MB per fit here,
    # i.e. > 150 MB over these 40 fits.
    assert growth < 40, f"RSS grew {growth:.0f} MB over 40 fits"
    assert np.isfinite(growth)


@pytest.mark.slow  # 160 fits; the clearing itself: test_kernel_cache_cleared_every_so_many_builds
def test_kernel_cache_is_bounded_over_many_builds(binary_data, monkeypatch):
    # every model built for its seeded initial weights adds TensorFlow eager kernels (one per
    # new variable): ~0.15 MB per fit, never freed unless the kernel cache is cleared
    import keras

    from skdeep._training import _engines

    if keras.backend.backend() != "tensorflow":
        return
    monkeypatch.setattr(_engines, "KERNEL_CACHE_BUILDS", 16)
    X, y = binary_data
    for seed in range(40):
        ANNClassifier(epochs=1, units=16, random_state=seed).fit(X, y)
    gc.collect()
    start = _rss_mb()
    for seed in range(120):
        ANNClassifier(epochs=1, units=16, random_state=seed).fit(X, y)
    gc.collect()
    growth = _rss_mb() - start
    assert growth < 8, f"RSS grew {growth:.1f} MB over 120 fits (kernel cache not bounded?)"


def test_kernel_cache_cleared_every_so_many_builds(monkeypatch):
    import keras

    from skdeep._training import _engines

    if keras.backend.backend() != "tensorflow":
        return
    monkeypatch.setattr(_engines, "KERNEL_CACHE_BUILDS", 3)
    monkeypatch.setattr(_engines, "_builds", 0)
    assert [_engines.note_model_built() for _ in range(7)] == [
        False,
        False,
        True,
        False,
        False,
        True,
        False,
    ]
