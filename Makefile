# The README's two commands: `make demo` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: demo test test-quick install install-dev studio clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Jupyter's jsonschema[format-nongpl] brings rfc3987-syntax, which builds an Earley parser when imported:
# 2.7 s of CPU in every process that imports ray (a Ray node starts about ten, and a loaded machine then
# misses Ray's fixed 30 s for a node to register). It only adds jsonschema's "iri" format check.
DROP_SLOW_IMPORTS := $(BIN)/pip uninstall --quiet --yes rfc3987-syntax 2>/dev/null || true
# An editable install leaves the project's own modules uncompiled, and where PYTHONDONTWRITEBYTECODE is set (as on our
# machines) every process then compiles each module it imports: about 0.1 CPU-s per server start.
COMPILE_SOURCES := $(BIN)/python -m compileall -q src >/dev/null

install: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[notebooks,explain]"
	$(DROP_SLOW_IMPORTS)
	$(COMPILE_SOURCES)
	$(MAKE) --no-print-directory studio

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	$(DROP_SLOW_IMPORTS)
	$(COMPILE_SOURCES)
	$(MAKE) --no-print-directory studio

# The studio (ui/, React + Vite; needs Node.js 20+ and npm): TypeScript types from the API's OpenAPI,
# then built into src/modelyard/studio/, which the server serves at /.
ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund --loglevel=error

studio: ui/node_modules/.package-lock.json
	cd ui && MODELYARD_PYTHON="$(abspath $(BIN)/python)" npm run --silent build -- --logLevel warn

demo: install
	PATH="$(abspath $(BIN)):$$PATH" examples/demo/demo.sh

# pytest runs on parallel workers (pytest-xdist): the tests mostly wait on servers, subprocesses and
# polling, so more workers than cores pay. PYTEST_WORKERS=0 runs serially; PYTEST_ARGS adds anything.
# The full run lists its 25 slowest tests: where the suite's time goes is the first thing to read.
PYTEST_WORKERS ?= 4
PYTEST_PARALLEL := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadgroup)

test: install-dev
	cd ui && npx vitest run
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest $(PYTEST_PARALLEL) --durations=25 $(PYTEST_ARGS)

# The inner loop: everything but the tests marked slow (tests/conftest.py says which).
test-quick: install-dev
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not slow" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) demo-workspace ui/node_modules ui/build src/modelyard/studio
