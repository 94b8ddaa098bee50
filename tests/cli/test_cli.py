"""The CLI as a user types it, against a real workspace server."""

import json
from pathlib import Path

import yaml

from server_fixtures import run_cli


def test_workspace_create_and_show(tmp_path: Path):
    result = run_cli("workspace", "create", str(tmp_path / "w"), "--name", "attrition")
    assert result.returncode == 0, result.stderr
    shown = run_cli("workspace", "show", "-o", "json", cwd=tmp_path / "w")
    assert json.loads(shown.stdout)["name"] == "attrition"
    again = run_cli("workspace", "create", str(tmp_path / "w"))
    assert again.returncode == 1 and "already exists" in again.stderr and "Traceback" not in again.stderr


def test_outside_a_workspace_the_cli_says_what_to_do(tmp_path: Path):
    result = run_cli("data", "list", cwd=tmp_path, env={"MODELYARD_WORKSPACE": ""})
    assert result.returncode == 1
    assert "modelyard workspace create" in result.stderr and "Traceback" not in result.stderr
    said = " ".join(result.stderr.split())
    assert "MODELYARD_WORKSPACE=<folder>" in said and "modelyard --workspace <folder>" in said and "cd into it" in said
    assert run_cli("workspace", "create", str(tmp_path / "w"), "--name", "elsewhere").returncode == 0
    named = run_cli("-w", str(tmp_path / "w"), "workspace", "show", "-o", "json", cwd=tmp_path,
                    env={"MODELYARD_WORKSPACE": ""})
    assert named.returncode == 0 and json.loads(named.stdout)["name"] == "elsewhere", named.stderr


def test_up_status_down(workspace_root: Path):
    up = run_cli("up", "--detach", "--port", "0")
    assert up.returncode == 0 and "running at http://127.0.0.1:" in up.stdout, up.stderr
    status = run_cli("status", "-o", "json")
    assert json.loads(status.stdout)["running"] is True
    assert run_cli("down").returncode == 0
    stopped = run_cli("status", "-o", "json")
    assert stopped.returncode == 3 and json.loads(stopped.stdout)["running"] is False


def test_data_yaml_create_list_show_preview_profile(server, workspace_root: Path, hr_csv: Path):
    spec = workspace_root / "data.yml"
    spec.write_text(yaml.safe_dump({
        "$schema": "https://modelyard.dev/schemas/data.json", "name": "employeeattrition", "type": "mltable",
        "path": str(hr_csv), "description": "IBM HR attrition", "tags": {"team": "hr"},
        "parse": {"encoding": "utf-8", "header": "all_files_same_headers"},
        "columns": [{"name": "EmployeeNumber", "type": "string"}],
    }))
    created = run_cli("data", "create", "-f", str(spec), "-o", "json")
    assert created.returncode == 0, created.stderr
    record = json.loads(created.stdout)
    assert (record["name"], record["version"], record["rows"]) == ("employeeattrition", 1, 1470)

    listed = json.loads(run_cli("data", "list", "-o", "json").stdout)
    assert [(a["name"], a["version"]) for a in listed] == [("employeeattrition", 1)]
    assert yaml.safe_load(run_cli("data", "show", "employeeattrition:1", "-o", "yaml").stdout)["tags"] == {"team": "hr"}

    consume = run_cli("data", "show", "employeeattrition", "--consume").stdout
    assert 'ws.data.get("employeeattrition", version=1)' in consume and ".to_pandas()" in consume

    preview = json.loads(run_cli("data", "preview", "employeeattrition", "--rows", "2", "-o", "json").stdout)
    assert len(preview["rows"]) == 2 and preview["rows"][0][0] == 41

    # table mode: one line per column with its values, every line within the terminal's width
    shown = run_cli("data", "preview", "employeeattrition", "--rows", "7").stdout
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= 200 and "rows 1-5 of 7" in shown and "rows 6-7 of 7" in shown
    age = next(line for line in lines if line.strip("│ ").startswith("Age "))
    assert age.split("│")[2:8] and [v.strip() for v in age.split("│")[3:8]] == ["41", "49", "37", "33", "27"]
    assert sum(1 for line in lines if "MonthlyIncome" in line) == 2, "one line per column in each table"

    summary = run_cli("data", "show", "employeeattrition").stdout
    assert "1470" in summary and "35" in summary and "EmployeeNumber" in summary
    assert max(len(line) for line in summary.splitlines()) <= 200 and '{"name"' not in summary

    table = run_cli("data", "profile", "employeeattrition")
    assert table.returncode == 0, table.stderr
    for heading in ("feature", "type distribution", "distinct", "skewness", "kurtosis", "99.9%", "MonthlyIncome"):
        assert heading in table.stdout
    profile = json.loads(run_cli("data", "profile", "employeeattrition", "-o", "json").stdout)
    assert profile["rows"] == 1470 and len(profile["columns"]) == 35


def test_flags_create_update_archive_download(server, workspace_root: Path, tmp_path: Path):
    (tmp_path / "a.txt").write_text("alpha")
    assert run_cli("data", "create", "--name", "notes", "--path", str(tmp_path / "a.txt"), "--type", "uri_file").returncode == 0
    updated = run_cli("data", "update", "notes:1", "--description", "first", "--tag", "k=v", "-o", "json")
    assert json.loads(updated.stdout)["tags"] == {"k": "v"}
    assert run_cli("data", "download", "notes:1", "-p", str(tmp_path / "out")).returncode == 0
    assert (tmp_path / "out" / "a.txt").read_text() == "alpha"
    assert run_cli("data", "archive", "notes:1").returncode == 0
    missing = run_cli("data", "show", "notes")
    assert missing.returncode == 1 and "not found" in missing.stderr


def test_bad_yaml_is_refused_with_the_field_path(server, workspace_root: Path, tmp_path: Path):
    spec = tmp_path / "bad.yml"
    spec.write_text("name: x\ntype: table\npath: a.csv\nparse:\n  skip_rows: -1\n")
    result = run_cli("data", "create", "-f", str(spec))
    assert result.returncode == 1
    assert "type" in result.stderr and "parse.skip_rows" in result.stderr and "Traceback" not in result.stderr
    unknown = tmp_path / "unknown.yml"
    unknown.write_text("name: x\npath: a.csv\ncolour: blue\n")
    assert "colour" in run_cli("data", "create", "-f", str(unknown)).stderr
    assert json.loads(run_cli("data", "list", "-o", "json").stdout) == []


def test_bad_data_file_exits_non_zero_with_the_line(server, workspace_root: Path, tmp_path: Path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b\n1,2\n3\n")
    result = run_cli("data", "create", "--name", "r", "--path", str(ragged), "--type", "mltable")
    assert result.returncode == 1 and "line 3" in result.stderr


def test_datastore_commands(server, workspace_root: Path, tmp_path: Path):
    folder = tmp_path / "lake"
    folder.mkdir()
    (folder / "x.csv").write_text("a,b\n1,2\n")
    assert run_cli("datastore", "create", "--name", "lake", "--type", "local", "--path", str(folder)).returncode == 0
    names = [d["name"] for d in json.loads(run_cli("datastore", "list", "-o", "json").stdout)]
    assert names == ["workspaceblobstore", "lake"]
    made = run_cli("data", "create", "--name", "x", "--type", "mltable",
                   "--path", "modelyard://datastores/lake/paths/x.csv", "-o", "json")
    assert json.loads(made.stdout)["rows"] == 1, made.stderr
    bad = run_cli("datastore", "create", "--name", "gone", "--type", "local", "--path", str(tmp_path / "none"))
    assert bad.returncode == 1 and "does not exist" in bad.stderr
    assert run_cli("datastore", "delete", "lake").returncode == 0
