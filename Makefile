# Two commands on a fresh machine: `make run` (app on the sample data) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
PORT ?= 8501

.PHONY: run test install sample-db bench clean

install: $(STAMP)

# Reinstall only when the pins or the package's metadata changed. The pins come from requirements.txt; the planner
# itself is installed editable, so the `planner` command and Dask workers started from .venv run the code as it is
# edited, without a reinstall after each change.
$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --editable .
	touch $(STAMP)

sample-db: $(STAMP)
	$(PY) -m planner load-sample --if-empty

# The server takes uploads as large as the import rules read (ImportRules.max_file_bytes), no larger.
UPLOAD_MB = $$($(PY) -c 'from planner.settings import ImportRules; print(ImportRules().max_file_megabytes)')

run: sample-db
	$(PY) -m streamlit run app.py --server.headless true --server.port $(PORT) --browser.gatherUsageStats false \
		--server.maxUploadSize $(UPLOAD_MB)

# The tests on every core (pytest-xdist; each worker its own PostgreSQL database, tests/conftest.py).
test: $(STAMP)
	$(PY) -m pytest -n auto --dist worksteal

# Every benchmark; the last reads goal b over ten seeds (exit status 1 while it is missed, with nothing after it
# left unrun).
bench: $(STAMP)
	$(PY) bench/bench_startup.py
	$(PY) bench/bench_import.py
	$(PY) bench/bench_queueing.py
	$(PY) bench/bench_recommend.py
	$(PY) bench/bench_scale.py
	$(PY) bench/bench_simulation.py
	$(PY) bench/bench_plans_list.py
	$(PY) bench/bench_parallel.py
	$(PY) bench/bench_accuracy.py
	$(PY) bench/bench_patience_floors.py
	$(PY) bench/bench_roster.py
	$(PY) bench/bench_model_choice.py
	$(PY) bench/bench_accuracy.py --sparse-curve --seed 2026 99 7 11 42 123 5 17 23 31

clean:
	rm -rf $(VENV) .planner .pytest_cache artifacts build *.egg-info
