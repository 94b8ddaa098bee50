"""Imports only point downward: no module of modelyard imports a layer above its own.

spec <- store <- engines (data, automl, serving) <- services <- drivers (runtime, api, server)
<- client <- interfaces (cli, the in-job ``run`` module). Every import counts, the ones inside
functions too: a lazy import may keep a heavy library off the start-up path, never hide a cycle.
"""

import ast
from pathlib import Path

import pytest

import modelyard

PACKAGE = Path(modelyard.__file__).parent
# Lowest first. A module may import its own layer and the ones below it.
LAYERS: list[tuple[str, set[str]]] = [
    ("base", {"__init__", "errors", "_json", "_lazy", "_cache", "_owner_only", "_phases", "_processes", "_snapshot", "_urls", "_uvicorn"}),
    ("spec", {"spec"}),
    ("store", {"store"}),
    ("engines", {"data", "automl", "serving", "designer", "explain", "monitor"}),
    ("services", {"services"}),
    ("drivers", {"runtime", "api", "server"}),
    ("client", {"client"}),
    ("interfaces", {"cli", "run", "__main__", "azureml"}),
]
RANK = {part: rank for rank, (_, parts) in enumerate(LAYERS) for part in parts}


def layer_of(module: str) -> int:
    """The rank of a ``modelyard...`` module's layer; the package itself is its lazy facade (base)."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    if top not in RANK:
        raise AssertionError(f"modelyard.{top} belongs to no layer: add it to LAYERS in tests/test_layers.py")
    return RANK[top]


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, module)`` of every modelyard module the code imports; ``from modelyard import X`` names the
    submodule X, or the module the package's facade takes X from."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module == "modelyard":
            for alias in node.names:
                if (PACKAGE / alias.name).is_dir() or (PACKAGE / f"{alias.name}.py").is_file():
                    found.append((node.lineno, f"modelyard.{alias.name}"))
                else:
                    found.append((node.lineno, modelyard._EXPORTS.get(alias.name, "modelyard")))
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name == "modelyard" or name.startswith("modelyard.")]


def violations(module: str, source: str) -> list[str]:
    mine = layer_of(module)
    return [f"{module} (line {line}, {LAYERS[mine][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
            for line, target in imported(ast.parse(source)) if layer_of(target) > mine]


# Drivers that change state only through services: they never read or write the store's rows themselves.
NO_ROWS = {"runtime"}


def row_access(module: str, source: str) -> list[str]:
    """Imports of the store or of SQLAlchemy in a module of ``NO_ROWS``."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1] not in NO_ROWS:
        return []
    tree = ast.parse(source)
    names = [(line, name) for line, name in imported(tree) if name.startswith("modelyard.store")]
    names += [(node.lineno, alias.name) for node in ast.walk(tree) if isinstance(node, ast.Import)
              for alias in node.names if alias.name.split(".")[0] == "sqlalchemy"]
    names += [(node.lineno, node.module) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
              and (node.module or "").split(".")[0] == "sqlalchemy"]
    return [f"{module} (line {line}) imports {name}: ask a service (services/job_runs, compute_pools ...) instead"
            for line, name in sorted(names)]


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found.append((".".join(parts[:-1] if parts[-1] == "__init__" else parts), path))
    return found


def test_no_module_imports_a_layer_above_its_own():
    problems = [problem for module, path in modules()
                for problem in violations(module, path.read_text(encoding="utf-8"))]
    assert problems == [], "imports that point upward:\n" + "\n".join(problems)


def test_runtime_reads_and_writes_rows_only_through_services():
    problems = [problem for module, path in modules()
                for problem in row_access(module, path.read_text(encoding="utf-8"))]
    assert problems == [], "store rows outside services:\n" + "\n".join(problems)


@pytest.mark.parametrize(("module", "source", "expected"), [
    ("modelyard.runtime._pipelines", "from modelyard.store import JobRow", 1),
    ("modelyard.runtime._worker", "def f():\n    from modelyard.store._tables import utcnow\n", 1),
    ("modelyard.runtime._scheduler", "from sqlalchemy import select", 1),
    ("modelyard.runtime._ray", "import sqlalchemy.orm", 1),
    ("modelyard.runtime._execute", "from modelyard.services import job_runs", 0),
    ("modelyard.services.jobs", "from modelyard.store import JobRow", 0),
])
def test_the_row_check_sees_store_imports_in_runtime(module, source, expected):
    assert len(row_access(module, source)) == expected


@pytest.mark.parametrize(("module", "source", "expected"), [
    ("modelyard.services.jobs", "def f():\n    from modelyard.runtime._execute import command_spec\n", 1),
    ("modelyard.spec.job", "import modelyard.store", 1),
    ("modelyard.automl._sdk", "from modelyard import Workspace", 1),   # through the facade, to the client
    ("modelyard.data._read", "from modelyard import data, errors", 0),
    ("modelyard.runtime._execute", "from modelyard.services import job_lifecycle", 0),
    ("modelyard.cli.job", "from modelyard.client import Workspace", 0),
])
def test_the_check_sees_upward_imports_wherever_they_are(module, source, expected):
    assert len(violations(module, source)) == expected
