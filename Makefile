# Two commands set everything up: `make site` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: site test serve notebooks system-deps clean

site: $(STAMP) node_modules/.installed
	$(BIN)/coursebuild site

test: $(STAMP) node_modules/.installed
	$(BIN)/python -m pytest

serve: site
	$(BIN)/python -m http.server --directory _build/html --bind 127.0.0.1 8000

notebooks: $(STAMP)
	$(BIN)/coursebuild notebooks

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Debian packages for the browser tests, the grading sandbox, the PostgreSQL gradebook tests and the
# workshop hub's participant environment (Debian's python3 with venv); needs root, CI calls it.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	command -v setpriv >/dev/null && command -v prlimit >/dev/null || missing="$$missing util-linux"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	/usr/bin/python3 -c 'import ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then apt-get update -qq && apt-get install -y -qq $$missing; fi

clean:
	rm -rf _build
