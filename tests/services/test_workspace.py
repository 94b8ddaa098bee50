from pathlib import Path

import pytest

from modelyard.errors import Conflict, InvalidInput, NotFound
from modelyard.services import workspace as workspaces


def test_create_writes_config_and_find_walks_upward(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("MODELYARD_WORKSPACE", raising=False)
    created = workspaces.create(tmp_path / "proj", name="attrition")
    assert (tmp_path / "proj" / ".modelyard" / "workspace.yaml").is_file()
    nested = tmp_path / "proj" / "src" / "deep"
    nested.mkdir(parents=True)
    found = workspaces.find(start=nested)
    assert found.root == created.root
    assert found.config.name == "attrition"
    assert found.database_url == f"sqlite:///{created.folder / 'modelyard.db'}"


def test_environment_variable_and_explicit_path_win(tmp_path: Path, monkeypatch):
    first = workspaces.create(tmp_path / "a", name="a")
    second = workspaces.create(tmp_path / "b", name="b")
    monkeypatch.setenv("MODELYARD_WORKSPACE", str(second.root))
    assert workspaces.find(start=first.root).config.name == "b"
    assert workspaces.find(start=first.root, explicit=first.root).config.name == "a"


def test_no_workspace_says_how_to_make_one(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("MODELYARD_WORKSPACE", raising=False)
    with pytest.raises(NotFound, match="modelyard workspace create"):
        workspaces.find(start=tmp_path)


def test_create_twice_is_a_conflict_and_bad_names_are_refused(tmp_path: Path):
    workspaces.create(tmp_path / "x", name="x")
    with pytest.raises(Conflict):
        workspaces.create(tmp_path / "x")
    with pytest.raises(InvalidInput, match="not allowed"):
        workspaces.create(tmp_path / "y", name="../evil")
    assert not (tmp_path / "y" / ".modelyard").exists()


def test_broken_config_is_reported_with_its_path(tmp_path: Path):
    location = workspaces.create(tmp_path / "z", name="z")
    (location.folder / "workspace.yaml").write_text("name: z\nunknown_field: 1\n")
    with pytest.raises(InvalidInput, match="workspace.yaml"):
        workspaces.load(location.root)


def test_token_is_created_once_and_private(tmp_path: Path):
    location = workspaces.create(tmp_path / "t", name="t")
    assert location.token() is None
    token = location.token(create=True)
    assert token and location.token(create=True) == token
    assert (location.folder / "token").stat().st_mode & 0o077 == 0
