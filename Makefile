# Two entry points, both safe on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export FLASK_APP := wsgi

.PHONY: install browser wrk run test lint bench messages translations clean

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

# The benchmark drives load with Debian's wrk: a Python client would saturate
# these two cores before the server does.
wrk:
	@command -v wrk >/dev/null || { \
	  echo "Installing Debian's wrk for the benchmark"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

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

# English and Spanish. `make messages` extracts every string marked for translation
# and merges it into the Spanish catalog (new strings arrive empty: translate them);
# `make translations` compiles the catalog, whose .mo is committed beside the .po.
CATALOG := petition/translations
messages: install
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output --no-wrap \
	  --omit-header -k lazy_gettext -k _l -o $(CATALOG)/messages.pot petition templates
	$(BIN)/pybabel -q update -i $(CATALOG)/messages.pot -d $(CATALOG) \
	  --ignore-obsolete --no-fuzzy-matching --no-wrap
	rm $(CATALOG)/messages.pot

translations: install
	$(BIN)/pybabel -q compile -d $(CATALOG)

# Hot paths under wrk on SQLite and PostgreSQL, as ratios to hello-world Flask
# under the same gunicorn settings in the same run (bench/surge.py).
bench: install wrk
	$(BIN)/python bench/surge.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
