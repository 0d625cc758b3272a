"""Memory stays flat over many sequential fits (fails on a per-fit leak)."""

import gc

import numpy as np

from skdeep import ANNClassifier


def _rss_mb() -> float:
    import os

    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def test_rss_flat_over_repeated_fits(binary_data):
    X, y = binary_data
    for seed in range(10):  # warm-up: first traces, allocator pools
        ANNClassifier(epochs=1, units=16, random_state=seed).fit(X, y).predict(X)
    gc.collect()
    start = _rss_mb()
    for seed in range(80):
        est = ANNClassifier(epochs=1, units=16, dropout=0.1, random_state=seed).fit(X, y)
        est.predict_proba(X)
    gc.collect()
    growth = _rss_mb() - start
    # Without compiled-model reuse every fit leaks its traced graphs: ~4 MB per fit here,
    # i.e. > 300 MB over these 80 fits.
    assert growth < 40, f"RSS grew {growth:.0f} MB over 80 fits"
    assert np.isfinite(growth)
