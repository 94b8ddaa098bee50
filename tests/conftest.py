"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SAMPLE_DATA = REPO_ROOT.parent / "shared" / "data" / "HR-Employee-Attrition.csv"


@pytest.fixture(scope="session")
def hr_csv() -> Path:
    """The IBM HR attrition CSV (UTF-8 with BOM, 1470 rows, 35 columns, target ``Attrition``).

    Found through ``MODELYARD_SAMPLE_DATA`` (a path to the CSV), else ``<repo>/../shared/data``.
    """
    path = Path(os.environ.get("MODELYARD_SAMPLE_DATA") or DEFAULT_SAMPLE_DATA)
    if not path.is_file():
        pytest.fail(
            f"sample data {path} is missing: set MODELYARD_SAMPLE_DATA to the path of "
            "HR-Employee-Attrition.csv",
            pytrace=False,
        )
    return path


pytest_plugins = ["server_fixtures", "automl_fixtures"]

# Modules whose tests run whole AutoML jobs, Ray clusters or a browser: `make test-quick` leaves them out.
SLOW_MODULES = ("studio/", "runtime/test_automl_", "runtime/test_ray", "batch/test_ray", "benchmarks/")


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        path = item.path.relative_to(REPO_ROOT / "tests").as_posix()
        if path.startswith(SLOW_MODULES):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def workspace_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh workspace in a temporary folder (the cwd of the test); its path."""
    from modelyard.services import workspace as workspaces

    from modelyard import server as servers

    root = tmp_path / "ws"
    location = workspaces.create(root, name="test")
    monkeypatch.delenv("MODELYARD_WORKSPACE", raising=False)
    monkeypatch.setenv("MODELYARD_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    yield root
    servers.stop(location)  # a server a test (or a CLI command) started must not outlive it


@pytest.fixture
def ws(workspace_root: Path):
    """The SDK on that workspace, running the API in-process (embedded)."""
    from modelyard import Workspace

    with Workspace(workspace_root) as workspace:
        yield workspace
