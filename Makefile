# Two commands: `make run` starts the product, `make test` installs what tests need and runs them.
# `make test-fast` runs only the unit tests (no index, no servers; well under a minute).
VENV   ?= .venv
PY     := $(VENV)/bin/python
PYTHON ?= python3
EVAL_DATA := $(CURDIR)/.policybot-data/eval
EVAL_LARGE := $(CURDIR)/.policybot-data/eval-large
EVAL_SETS := eval/dev.jsonl eval/validation/validation.jsonl eval/validation/validation2.jsonl eval/validation/validation3.jsonl eval/validation/validation4.jsonl eval/validation/validation5.jsonl eval/validation/validation6.jsonl eval/validation/validation7.jsonl eval/validation/validation8.jsonl eval/validation/validation9.jsonl eval/validation/validation10.jsonl eval/validation/validation11.jsonl eval/validation/validation12.jsonl eval/validation/validation13.jsonl eval/validation/validation14.jsonl eval/validation/validation15.jsonl eval/validation/validation16.jsonl eval/validation/validation17.jsonl eval/validation/validation18.jsonl eval/validation/validation19.jsonl eval/validation/validation20.jsonl eval/validation/validation21.jsonl eval/validation/validation22.jsonl eval/validation/validation23.jsonl eval/validation/validation24.jsonl eval/validation/validation25.jsonl eval/validation/validation26.jsonl eval/validation/validation27.jsonl eval/validation/validation28.jsonl eval/validation/validation29.jsonl eval/validation/validation30.jsonl eval/blind/blind.jsonl

.PHONY: run test test-fast lint install bench clean eval

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
	$(MAKE) --no-print-directory eval

# Dev and blind sets side by side, on the shipped corpus and on the larger collection (shipped + 25 real
# public documents of eval/blind/extra_docs).  Extractive mode: no LLM is configured here.
eval: install
	POLICYBOT_DATA_DIR=$(EVAL_DATA) $(VENV)/bin/policybot ingest --quiet
	POLICYBOT_DATA_DIR=$(EVAL_DATA) $(VENV)/bin/policybot eval $(EVAL_SETS)
	POLICYBOT_DATA_DIR=$(EVAL_LARGE) $(VENV)/bin/policybot ingest --quiet data/policies eval/blind/extra_docs
	POLICYBOT_DATA_DIR=$(EVAL_LARGE) $(VENV)/bin/policybot eval $(EVAL_SETS)

test-fast: install
	$(PY) -m pytest -q -m unit

bench: install
	$(PY) bench/ingest.py
	$(PY) bench/latency.py
	$(PY) bench/answer.py
	POLICYBOT_DATA_DIR=$(EVAL_DATA) $(PY) bench/cli.py

clean:
	rm -rf $(VENV) .policybot-data test-output
