# The README's two commands: `make demo` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: demo test test-quick install install-dev studio clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[notebooks]"
	$(MAKE) --no-print-directory studio

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	$(MAKE) --no-print-directory studio

# The studio (ui/, React + Vite; needs Node.js 20+ and npm): TypeScript types from the API's OpenAPI,
# then built into src/modelyard/studio/, which the server serves at /.
ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund --loglevel=error

studio: ui/node_modules/.package-lock.json
	cd ui && MODELYARD_PYTHON="$(abspath $(BIN)/python)" npm run --silent build -- --logLevel warn

demo: install
	PATH="$(abspath $(BIN)):$$PATH" examples/demo/demo.sh

test: install-dev
	cd ui && npx vitest run
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest $(PYTEST_ARGS)

# The inner loop: everything but whole AutoML jobs, Ray clusters and the browser.
test-quick: install-dev
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) demo-workspace ui/node_modules ui/build src/modelyard/studio
