"""Job and trial statuses are spelled out only in ``spec/job_status.py``: anywhere else in the package a
status is compared with, passed as or stored as a member of ``JobStatus`` or ``TrialStatus``, never a bare
string (other nouns' states, such as a deployment's "Failed", are theirs to name)."""

import ast
from pathlib import Path

import pytest

import modelyard
from modelyard.spec.job_status import JobStatus, TrialStatus

PACKAGE = Path(modelyard.__file__).parent
HOME = PACKAGE / "spec" / "job_status.py"
NAMES = {str(status) for status in (*JobStatus, *TrialStatus)}


def _is_status(node: ast.AST) -> bool:
    """``status``, ``job.status``, ``trial_status``, ``row.status`` ..."""
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    return name == "status" or name.endswith("_status")


def _literals(node: ast.AST) -> list[str]:
    items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else [node]
    return [item.value for item in items if isinstance(item, ast.Constant) and item.value in NAMES]


def status_literals(source: str) -> list[tuple[int, str]]:
    """``(line, literal)`` of every bare status name compared with, passed as or stored as a status."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(_is_status(side) for side in (node.left, *node.comparators)):
            found += [(node.lineno, name) for side in (node.left, *node.comparators) for name in _literals(side)]
        elif isinstance(node, ast.keyword) and node.arg and (node.arg == "status" or node.arg.endswith("_status")):
            found += [(node.value.lineno, name) for name in _literals(node.value)]
        elif isinstance(node, ast.Dict):
            found += [(value.lineno, name) for key, value in zip(node.keys, node.values)
                      if isinstance(key, ast.Constant) and key.value in ("status", "trial_status")
                      for name in _literals(value)]
        elif isinstance(node, ast.arguments):
            named = [*node.posonlyargs, *node.args][-len(node.defaults):] if node.defaults else []
            found += [(default.lineno, name) for arg, default in zip(named, node.defaults)
                      if arg.arg == "status" for name in _literals(default)]
    return found


def test_no_job_status_is_a_bare_string_outside_its_enum():
    problems = [f"{path.relative_to(PACKAGE.parent)}:{line}: {name!r}"
                for path in sorted(PACKAGE.rglob("*.py")) if path != HOME
                for line, name in status_literals(path.read_text(encoding="utf-8"))]
    assert problems == [], "use JobStatus/TrialStatus members instead:\n" + "\n".join(problems)


@pytest.mark.parametrize(("source", "expected"), [
    ('if job.status != "Completed": pass', 1),
    ('done = row.status in ("Failed", "Canceled")', 2),
    ('new_job(status="Queued")', 1),
    ('part = {"status": "Failed", "error": message}', 1),
    ('def end(name, status="Completed"): pass', 1),
    ('if deployment.state == "Failed": pass', 0),        # another noun's state
    ('if job.status != JobStatus.COMPLETED: pass', 0),
])
def test_the_check_sees_bare_statuses(source, expected):
    assert len(status_literals(source)) == expected
