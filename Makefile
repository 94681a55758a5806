# Two commands on a fresh machine: `make run` (app on the sample data) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
PORT ?= 8501

.PHONY: run test install sample-db bench clean

install: $(STAMP)

# Reinstall only when requirements.txt changed.
$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

sample-db: $(STAMP)
	$(PY) -m planner load-sample --if-empty

run: sample-db
	$(PY) -m streamlit run app.py --server.headless true --server.port $(PORT) --browser.gatherUsageStats false

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/bench_import.py
	$(PY) bench/bench_queueing.py
	$(PY) bench/bench_accuracy.py

clean:
	rm -rf $(VENV) .planner .pytest_cache artifacts
