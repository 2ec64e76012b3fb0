# Mentorcraft: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
# Links in emails point where `make run` serves, unless SITE_URL says otherwise.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-all test-postgres lint format bench worker migrate seed check-deploy lock clean \
	api-contract

# Exact versions (with hashes) from requirements.lock; the project itself is installed on top.
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: export SITE_URL := $(SITE_URL)
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py demo_logins --url $(SITE_URL)
	$(PY) manage.py db_worker & WORKER=$$!; \
	$(PY) manage.py periodic --every 300 & PERIODIC=$$!; \
	trap 'kill $$WORKER $$PERIODIC 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The quick suite: everything but the slow and browser tests (CI runs those too, with test-all).
test: $(STAMP)
	$(PY) -m pytest -m "not slow and not browser"

test-all: $(STAMP)
	$(PY) -m pytest

test-postgres: $(STAMP)
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	$(PY) bench/pages_bench.py
	$(PY) bench/matching_bench.py
	$(PY) bench/board_bench.py
	$(PY) bench/training_bench.py
	$(PY) bench/supervision_bench.py
	$(PY) bench/communities_bench.py
	$(PY) bench/import_bench.py

# schemathesis over every API operation, as the demo coordinator and mentee (docs/api.md).
api-contract: $(STAMP)
	$(PY) config/tests/api_contract.py

worker: $(STAMP)
	$(PY) manage.py db_worker

check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))") \
	ALLOWED_HOSTS=mentoring.example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

# Refresh requirements.lock after changing dependencies in pyproject.toml (needs pip-tools).
lock:
	pip-compile --quiet --extra dev --extra bench --generate-hashes --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
