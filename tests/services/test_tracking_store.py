"""A new workspace's MLflow store starts as a copy of an empty one, migrated once per MLflow version and cached."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from modelyard.services import workspace as workspaces


def _new_store(root: Path):
    from modelyard.services import _tracking

    location = workspaces.create(root, name=root.parent.name)
    return location, _tracking._client(location.tracking_uri, str(location.folder / "tracking.lock"),
                                       f"{location.artifact_root}/mlflow/Default")


def test_new_stores_are_copies_of_one_cached_template_and_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import mlflow

    monkeypatch.setenv("MODELYARD_CACHE", str(tmp_path / "cache"))
    template = tmp_path / "cache" / "mlflow-store" / f"empty-{mlflow.__version__}.db"
    first, _ = _new_store(tmp_path / "a" / "ws")
    assert template.is_file()
    built = template.stat().st_mtime_ns
    second, client = _new_store(tmp_path / "b" / "ws")
    assert template.stat().st_mtime_ns == built, "the template is built once"

    for location in (first, second):
        store = Path(location.tracking_uri.removeprefix("sqlite:///"))
        assert stat.S_IMODE(store.stat().st_mode) == 0o600, "owner-only, like a store MLflow creates here"
    default = client.get_experiment("0")
    assert default.name == "Default" and default.artifact_location == f"{second.artifact_root}/mlflow/Default"
    run = client.create_run(client.create_experiment("e"))
    client.log_metric(run.info.run_id, "auc", 0.8)
    assert client.get_run(run.info.run_id).data.metrics == {"auc": 0.8}


def test_an_existing_store_is_opened_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from modelyard.services import _tracking

    monkeypatch.setenv("MODELYARD_CACHE", str(tmp_path / "cache"))
    location, client = _new_store(tmp_path / "a" / "ws")
    kept = client.create_run(client.create_experiment("kept")).info.run_id
    _tracking._client.cache_clear()  # another process opening it
    again = _tracking._client(location.tracking_uri, str(location.folder / "tracking.lock"), "elsewhere")
    assert again.get_run(kept).info.run_id == kept
    assert again.get_experiment("0").artifact_location == f"{location.artifact_root}/mlflow/Default"
