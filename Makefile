# Two entry points, both safe on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export FLASK_APP := wsgi

.PHONY: install browser run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Browser tests drive Debian's Chromium; no test tool ever downloads a browser.
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The app on SQLite at http://127.0.0.1:5000 with demo data, the mail worker
# and the development mailbox at /dev/mail.
run: install
	FLASK_DEBUG=1 $(BIN)/flask db upgrade
	FLASK_DEBUG=1 $(BIN)/flask demo
	FLASK_DEBUG=1 $(BIN)/flask outbox work & trap 'kill $$!' EXIT INT TERM; \
	  FLASK_DEBUG=1 $(BIN)/flask run --host 127.0.0.1 --port 5000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The whole suite: lint, then every test on SQLite and PostgreSQL, the
# browser tests and the end-to-end test through gunicorn.
test: install browser lint
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/signing.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
