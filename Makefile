# Two entry points for a fresh clone: `make study` and `make test`.
# Raw data: downloaded on first use; offline, point OFFLINE_DATA at a folder holding
# fashion-mnist/*.gz and california-housing/cal_housing.data (`make study OFFLINE_DATA=...`).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OFFLINE_DATA ?=
PIPELINE ?=
# The exact versions the test suite passes with, for Python 3.10-3.13: every install uses them.
LOCK := requirements.lock
EXTRAS := dev,jax,dask,mlflow
export KEDRO_DISABLE_TELEMETRY ?= true

.PHONY: setup raw-data study test test-fast lint lock

$(BIN)/kedro: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c $(LOCK) -e ".[$(EXTRAS)]"
	touch $@

setup: $(BIN)/kedro

# Upgrade: every dependency to its newest release within pyproject.toml's ranges, resolved for
# Python 3.10-3.13 at once (uv's universal resolution), written to requirements.lock and
# installed here. Then `make test`, and commit the file when it passes.
lock: setup
	$(BIN)/pip install --quiet "uv>=0.5"
	$(BIN)/uv pip compile pyproject.toml --all-extras --universal --python-version 3.10 \
		--upgrade --quiet --custom-compile-command "make lock" -o $(LOCK)
	$(BIN)/pip install --quiet -c $(LOCK) -e ".[$(EXTRAS)]"

raw-data: setup
ifneq ($(OFFLINE_DATA),)
	mkdir -p data/01_raw/fashion-mnist data/01_raw/california-housing
	cp -f $(OFFLINE_DATA)/fashion-mnist/*.gz data/01_raw/fashion-mnist/
	cp -f $(OFFLINE_DATA)/california-housing/cal_housing.data data/01_raw/california-housing/
else
	$(BIN)/python -m from_data_to_model.download --raw-dir data/01_raw
endif

study: setup raw-data
	$(BIN)/kedro run $(if $(PIPELINE),--pipeline=$(PIPELINE))

# Two test processes (pytest-xdist), a test file each at a time: a file's fixtures are made once;
# files in the order tests/conftest.py gives them (slow files, then those that use the shared
# tiny study, then those of fast tests only).
test: setup raw-data
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder

test-fast: setup
	$(BIN)/pytest -m "not slow" -n 2 --dist loadfile --no-loadscope-reorder

lint: setup
	$(BIN)/ruff check src tests benchmarks
