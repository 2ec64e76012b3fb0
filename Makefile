# Mentorcraft: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test test-postgres lint format bench worker migrate seed check-deploy clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,bench]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py demo_logins
	$(PY) manage.py db_worker & WORKER=$$!; \
	$(PY) manage.py periodic --every 300 & PERIODIC=$$!; \
	trap 'kill $$WORKER $$PERIODIC 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(PY) -m pytest

test-postgres: $(STAMP)
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	$(PY) bench/matching_bench.py
	$(PY) bench/board_bench.py

worker: $(STAMP)
	$(PY) manage.py db_worker

check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))") \
	ALLOWED_HOSTS=mentoring.example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
