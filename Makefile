# Two commands matter: `make run` and `make test` (see README).
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# `make run PORT=8101` when 8000 is taken; the links the app writes follow the port
# unless FACTCHECK_PUBLIC_URL says otherwise (see README).
PORT ?= 8000
# Only `make run` (demo, serve) gets it: `make test` keeps the environment as it is.
FACTCHECK_PUBLIC_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test install install-dev serve demo lint fmt check-deploy services-up bench

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Embedded default: SQLite file, tasks in-process. Idempotent.
run: install demo serve

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	FACTCHECK_PUBLIC_URL=$(FACTCHECK_PUBLIC_URL) $(BIN)/python manage.py create_demo_editor

serve:
	@echo "Serving on $(FACTCHECK_PUBLIC_URL)/admin/"
	FACTCHECK_PUBLIC_URL=$(FACTCHECK_PUBLIC_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Whole suite on real PostgreSQL and Redis (scripts/test.sh finds or starts them).
test: install-dev
	bash scripts/test.sh

lint: install-dev
	$(BIN)/ruff check .

check-deploy: install
	FACTCHECK_ENV=production SECRET_KEY=$$(openssl rand -hex 32) ALLOWED_HOSTS=example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# The deployed shape (docker-compose.yml) from locally installed PostgreSQL and Redis.
services-up: install
	bash scripts/local_stack.sh
