"""The engine pool's bound: idle engines kept by count and by memory, least recently used out.

The bound is applied when a new engine is registered (a fit compiles a new architecture).
"""

import gc
from types import SimpleNamespace

import keras
import numpy as np
import pytest

from skdeep._training._engines import Engine, EnginePool


def _engine(key, units=4):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(units)])
    state = [np.zeros((3, units), np.float32), np.zeros(units, np.float32)]  # Adam-like slots
    return Engine(key=key, model=model, optimizer_state=state)


class Owner:
    pass


def _idle(pool, *keys, units=4):
    """Register one engine per key and let each owner go: the engines are idle, in key order."""
    for key in keys:
        owner = Owner()
        pool.register(_engine(key, units), owner)
        del owner
    gc.collect()


def test_an_engine_measures_its_weights_and_optimizer_memory():
    engine = _engine("a", units=4)
    EnginePool().register(engine, Owner())
    weights = (3 * 4 + 4) * 4  # kernel and bias, float32
    assert engine.nbytes == weights + 2 * weights  # the slots and their reset snapshot


def test_a_dtype_numpy_does_not_know_is_measured_as_float32():
    variable = SimpleNamespace(shape=(10, 3), dtype="int4_packed_by_someone")
    engine = Engine(key="q", model=SimpleNamespace(variables=[variable]))
    engine.measure()
    assert engine.nbytes == 10 * 3 * 4


def test_idle_engines_beyond_the_count_go_least_recently_used_first():
    pool = EnginePool(max_idle=2)
    _idle(pool, "a", "b", "c")
    owner = Owner()
    assert pool.acquire("a", owner) is not None  # "a" becomes the most recently used
    pool.release(owner)
    pool.register(_engine("d"), owner)
    assert sorted(e.key for e in pool._engines) == ["a", "c", "d"]


def test_idle_engines_beyond_the_memory_bound_are_evicted():
    size = _engine("probe", units=64)
    EnginePool().register(size, Owner())
    pool = EnginePool(max_idle=100, max_idle_bytes=int(2.5 * size.nbytes))
    _idle(pool, "a", "b", "c", units=64)
    owner = Owner()
    pool.register(_engine("d", units=64), owner)
    assert [e.key for e in pool._engines] == ["b", "c", "d"]


def test_an_engine_given_back_counts_as_just_used():
    pool = EnginePool(max_idle=1)
    first, second = Owner(), Owner()
    pool.register(_engine("a"), first)
    pool.register(_engine("b"), second)
    pool.release(second)
    pool.release(first)  # "a" was given back last: "b" is the least recently used
    pool.register(_engine("c"), Owner())
    assert [e.key for e in pool._engines] == ["a", "c"]


@pytest.mark.parametrize("bound", [{"max_idle": 0}, {"max_idle_bytes": 0}])
def test_engines_in_use_are_never_evicted(bound):
    pool = EnginePool(**bound)
    owners = [Owner(), Owner()]
    for key, owner in zip("ab", owners):
        pool.register(_engine(key), owner)
    assert len(pool) == 2
    pool.release(owners[1])
    pool.register(_engine("c"), owners[1])
    assert [e.key for e in pool._engines] == ["a", "c"]


def test_a_search_over_many_architectures_keeps_each_compiled_once():
    # 20 small architectures visited in turn, twice: with TensorFlow an evicted engine's graphs
    # are not freed, so a second compile would cost a new trace and more memory
    pool = EnginePool()
    _idle(pool, *range(20))
    owner = Owner()
    assert all(pool.acquire(key, owner) is not None for key in range(20))
