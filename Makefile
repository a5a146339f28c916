# The two commands of the quick start: `make demo` and `make test`. Both create the virtual environment and install
# what is missing (system packages too, when run as root) first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= demo-out

.PHONY: demo test serve schema migration system bench bench-graphql bench-deadlines bench-documents clean

demo: system $(STAMP)
	$(BIN)/portal demo --out $(OUT)

# One pytest process per core (pytest-xdist); a test module's tests stay together, so its fixtures are built once.
TEST_WORKERS ?= auto

test: system $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope

serve: system $(STAMP)
	$(BIN)/portal serve --demo

schema: $(STAMP)
	$(BIN)/portal schema --write

# After a model change: NAME=short_name; needs the local PostgreSQL (see migrations/generate.py).
migration: $(STAMP)
	@test -n "$(NAME)" || { echo "usage: make migration NAME=what_changed" >&2; exit 2; }
	$(BIN)/python -m migrations.generate $(NAME)

# Each prints one JSON line of figures (see the README's Benchmarks); the deadlines one needs the local PostgreSQL.
bench: bench-graphql bench-deadlines bench-documents

bench-graphql: system $(STAMP)
	$(BIN)/python bench/graphql.py

bench-deadlines: system $(STAMP)
	$(BIN)/python bench/deadlines.py

bench-documents: system $(STAMP)
	$(BIN)/python bench/documents.py

system:
	@./scripts/system-packages.sh

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"' \
		|| { echo "$(PYTHON) is older than 3.11: set PYTHON=python3.11 (or newer)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $(STAMP)

clean:
	rm -rf $(VENV) var $(OUT) .pytest_cache
