# The two commands of the README. Both set up a virtualenv in .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
# The test servers: the machine's own PostgreSQL and Redis unless the environment names others.
# Tests that need one skip, with the reason, when it is not reachable.
export KEIKA_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
export KEIKA_TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: demo test lint bench setup

$(BIN)/keika: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

setup: $(BIN)/keika

demo: setup
	$(BIN)/keika demo

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python bench/bench_parse.py
	$(BIN)/python bench/bench_parse_scale.py
	$(BIN)/python bench/bench_dates.py
	$(BIN)/python bench/bench_diff.py
	$(BIN)/python bench/bench_crawl.py
	$(BIN)/python bench/bench_schedule.py
	$(BIN)/python bench/bench_workers.py
