"""Fixtures shared by every test package.

`make test` runs the tests on parallel pytest-xdist workers: the rules a new test follows (Ray tests,
module- and session-scoped fixtures, ports, folders, waits) are in ``xdist_groups.py``."""

from __future__ import annotations

import os
import sys
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


def _patient_httpx() -> None:
    """A bare ``httpx.get(url)`` in a test gives up after httpx's default 5 s, which a server on a loaded
    machine exceeds (the OpenAPI document alone can take that long); a test may wait, never fail for it."""
    from httpx._config import DEFAULT_TIMEOUT_CONFIG  # the object every httpx call defaults to

    for part in ("connect", "read", "write", "pool"):
        setattr(DEFAULT_TIMEOUT_CONFIG, part, 120.0)


_patient_httpx()

@pytest.fixture(autouse=True)
def _mlflow_tracking_uri_ends_with_its_test():
    """``mlflow.set_tracking_uri`` is global to the process and wins over ``MLFLOW_TRACKING_URI``: a test that set
    it would point a later test on the same worker at its own, removed, store."""
    yield
    tracking = sys.modules.get("mlflow.tracking._tracking_service.utils")
    if tracking is not None and tracking._tracking_uri is not None:
        tracking.set_tracking_uri(None)


@pytest.fixture(scope="session", autouse=True)
def _user_cache(tmp_path_factory):
    """The user cache of the whole run (downloaded data, the empty tracking store a new workspace starts from):
    a fresh folder, never ~/.cache, shared by the tests as a user's workspaces share theirs."""
    os.environ["MODELYARD_CACHE"] = str(tmp_path_factory.mktemp("user-cache"))


pytest_plugins = ["server_fixtures", "automl_fixtures", "xdist_groups"]  # xdist_groups: rules for parallel runs

# Modules `make test-quick` leaves out: whole AutoML jobs, Ray clusters, the browser, Jupyter, and the other
# modules whose tests took over 10 s each on average in a full run (`--junitxml` gives each test's time).
SLOW_MODULES = (
    "studio/", "runtime/test_automl_", "runtime/test_ray", "batch/test_ray", "benchmarks/", "notebooks/",
    "automl/test_floor", "automl/test_refit", "explain_api/", "mlops_release/", "collection/",
    "monitor_api/test_scheduled_monitors", "monitor_api/test_monitor_runs", "cli/test_cli.py", "cli/test_cli_jobs",
    "cli/test_cli_endpoints", "batch/test_batch_cli", "runtime/test_reliability", "runtime/test_engine_wakeups",
    "security/test_security_every_route", "azureml/test_v1_notebook", "environments/test_environments_cli",
    "events/test_events_cli", "schedules/test_schedules_server", "designer_api/test_inference",
    "designer_api/test_r_script_step", "api/test_job_artifacts",
)


def pytest_itemcollected(item) -> None:
    path = item.path.relative_to(REPO_ROOT / "tests").as_posix()
    if path.startswith(SLOW_MODULES):
        item.add_marker(pytest.mark.slow)


def _any_free_port(config_file: Path) -> None:
    """The server that the SDK or the CLI starts for this workspace listens on a free port, not on the default
    8686: with parallel workers (and other test runs on the machine) 8686 is mostly taken, and each try costs
    a server start before the fallback to a free port."""
    import yaml

    config = yaml.safe_load(config_file.read_text())
    config["server"]["port"] = 0
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))


@pytest.fixture
def workspace_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh workspace in a temporary folder (the cwd of the test); its path."""
    from modelyard.services import workspace as workspaces

    from modelyard import server as servers

    root = tmp_path / "ws"
    location = workspaces.create(root, name="test")
    _any_free_port(location.root / workspaces.FOLDER / workspaces.CONFIG_FILE)
    monkeypatch.delenv("MODELYARD_WORKSPACE", raising=False)
    monkeypatch.chdir(root)
    yield root
    servers.stop(location)  # a server a test (or a CLI command) started must not outlive it


@pytest.fixture
def ws(workspace_root: Path):
    """The SDK on that workspace, running the API in-process (embedded)."""
    from modelyard import Workspace

    with Workspace(workspace_root) as workspace:
        yield workspace
