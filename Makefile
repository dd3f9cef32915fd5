# Two commands: `make run` starts the product, `make test` installs what tests need and runs them.
# `make test-fast` runs only the unit tests (no index, no servers; well under a minute).
VENV   ?= .venv
PY     := $(VENV)/bin/python
PYTHON ?= python3
EVAL_DATA := $(CURDIR)/.policybot-data/eval

.PHONY: run test test-fast lint install bench clean

# One progress line while installing; the installer's own output goes to $(VENV)/install.log.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) scripts/install.py --venv $(VENV) --extras test --log $(VENV)/install.log
	@touch $@

install: $(VENV)/.installed

run: install
	$(PY) app.py

# Layer contracts, style and types: the checks that keep one rule in one place.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

test: install lint
	bash scripts/install-browser.sh
	$(PY) -m pytest -q
	POLICYBOT_DATA_DIR=$(EVAL_DATA) $(VENV)/bin/policybot ingest --quiet
	POLICYBOT_DATA_DIR=$(EVAL_DATA) $(VENV)/bin/policybot eval eval/dev.jsonl

test-fast: install
	$(PY) -m pytest -q -m unit

bench: install
	$(PY) bench/ingest.py
	$(PY) bench/latency.py
	$(PY) bench/answer.py
	POLICYBOT_DATA_DIR=$(EVAL_DATA) $(PY) bench/cli.py

clean:
	rm -rf $(VENV) .policybot-data test-output
