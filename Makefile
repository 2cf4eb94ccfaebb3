# Every target bootstraps what it needs from only python3 and pip:
#   .uv/   a tiny venv holding the pinned uv
#   .venv/ the project environment, synced from uv.lock (never resolved anew)
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .uv/bin/uv
export UV_PROJECT_ENVIRONMENT := .venv
export UV_PYTHON_DOWNLOADS := never
# copy by default (the cache may sit on another disk); UV_LINK_MODE=hardlink make … overrides
export UV_LINK_MODE ?= copy

# pytest-xdist workers for `make test`: one per core; `make test PYTEST_WORKERS=0` runs
# the suite serially in one process (for pdb, or to rule out the workers)
PYTEST_WORKERS ?= auto

.PHONY: demo test lint bench lock clean

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Base dependencies only: enough for `ihms demo`.
.venv/.synced-base: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --inexact --no-dev --python $(PYTHON)
	touch $@

# Everything: dev tools and the [spark] extra, needed by the whole test suite.
.venv/.synced-all: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --all-extras --python $(PYTHON)
	touch $@ .venv/.synced-base

demo: .venv/.synced-base
	.venv/bin/ihms demo

test: .venv/.synced-all
	.venv/bin/ruff check src tests benchmarks examples
	.venv/bin/ruff format --check src tests benchmarks examples
	.venv/bin/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile

lint: .venv/.synced-all
	.venv/bin/ruff check src tests benchmarks examples
	.venv/bin/ruff format --check src tests benchmarks examples

bench: .venv/.synced-all
	for b in benchmarks/bench_*.py; do echo "== $$b"; .venv/bin/python $$b || exit 1; done

lock: $(UV)
	$(UV) lock --python $(PYTHON)

clean:
	rm -rf .venv .uv out .pytest_cache
