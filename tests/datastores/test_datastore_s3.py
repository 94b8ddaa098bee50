"""S3 datastores against a real moto server on loopback."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
import yaml

from modelyard.errors import InvalidInput, Unreachable
from server_fixtures import S3Endpoint, run_cli, start_moto, stop_process

pytestmark = pytest.mark.s3


@pytest.fixture
def prefix(s3_endpoint: S3Endpoint, hr_csv: Path) -> str:
    """A fresh key prefix holding HR.csv and a folder of two text files."""
    prefix = f"run-{uuid.uuid4().hex[:8]}"
    fs = s3_endpoint.filesystem()
    fs.put_file(str(hr_csv), f"{s3_endpoint.bucket}/{prefix}/HR.csv")
    fs.pipe(f"{s3_endpoint.bucket}/{prefix}/notes/a.txt", b"first note\n")
    fs.pipe(f"{s3_endpoint.bucket}/{prefix}/notes/sub/b.txt", b"second note\n")
    return prefix


@pytest.fixture
def s3_store(ws, s3_endpoint: S3Endpoint):
    return ws.datastores.create(name="lake", **s3_endpoint.datastore_fields(description="moto"))


def uri(path: str) -> str:
    return f"modelyard://datastores/lake/paths/{path}"


def test_create_show_list_masks_the_secret(ws, s3_endpoint: S3Endpoint, s3_store):
    assert s3_store.type == "s3"
    assert s3_store.config["bucket"] == s3_endpoint.bucket
    assert s3_store.config["endpoint_url"] == s3_endpoint.url
    assert s3_store.config["secret_access_key"] == "***"
    shown = ws.datastores.get("lake")
    listed = {store.name: store for store in ws.datastores.list()}
    for record in (s3_store, shown, listed["lake"]):
        assert record.config["secret_access_key"] == "***"
        assert s3_endpoint.secret_access_key not in record.model_dump_json()


def test_uri_file_reads_back(ws, s3_store, prefix: str, hr_csv: Path, tmp_path: Path):
    asset = ws.data.create(name="hr-file", type="uri_file", path=uri(f"{prefix}/HR.csv"))
    assert asset.version == 1 and asset.uri == uri(f"{prefix}/HR.csv")
    assert asset.size_bytes == hr_csv.stat().st_size
    data = ws.data.get("hr-file")
    assert Path(data.path).read_bytes() == hr_csv.read_bytes()
    assert (data.download(tmp_path / "out") / "HR.csv").read_bytes() == hr_csv.read_bytes()


def test_mltable_reads_back(ws, s3_store, prefix: str):
    asset = ws.data.create(name="hr", type="mltable", path=uri(f"{prefix}/HR.csv"))
    assert asset.rows == 1470
    frame = ws.data.get("hr:1").to_pandas()
    assert frame.shape == (1470, 35)
    assert {"Age", "Attrition"} <= set(frame.columns)
    assert sorted(frame["Attrition"].unique()) == ["No", "Yes"]


def test_uri_folder_reads_back(ws, s3_store, prefix: str, tmp_path: Path):
    asset = ws.data.create(name="notes", type="uri_folder", path=uri(f"{prefix}/notes"))
    assert asset.uri == uri(f"{prefix}/notes")
    target = ws.data.get("notes").download(tmp_path / "notes")
    assert (target / "a.txt").read_text() == "first note\n"
    assert (target / "sub" / "b.txt").read_text() == "second note\n"


def test_object_changed_after_registration_is_refused(ws, s3_endpoint: S3Endpoint, s3_store, prefix: str):
    ws.data.create(name="note", type="uri_file", path=uri(f"{prefix}/notes/a.txt"))
    s3_endpoint.filesystem().pipe(f"{s3_endpoint.bucket}/{prefix}/notes/a.txt", b"other note\n")
    with pytest.raises(InvalidInput, match="changed since it was registered"):
        ws.data.get("note").path


def test_table_changed_after_registration_is_refused(ws, s3_endpoint: S3Endpoint, s3_store, prefix: str):
    fs = s3_endpoint.filesystem()
    fs.pipe(f"{s3_endpoint.bucket}/{prefix}/small.csv", b"a,b\n1,2\n3,4\n")
    ws.data.create(name="small", type="mltable", path=uri(f"{prefix}/small.csv"))
    fs.pipe(f"{s3_endpoint.bucket}/{prefix}/small.csv", b"a,b\n1,2\n3,5\n")
    with pytest.raises(InvalidInput, match="changed since it was registered"):
        ws.data.get("small").preview()
    with pytest.raises(InvalidInput, match="changed since it was registered"):
        ws.data.get("small").to_pandas()


def test_missing_key(ws, s3_store, prefix: str):
    with pytest.raises(InvalidInput, match="does not exist"):
        ws.data.create(name="gone", type="uri_file", path=uri(f"{prefix}/nothing.csv"))


def test_wrong_bucket_is_unreachable(ws, s3_endpoint: S3Endpoint):
    fields = {**s3_endpoint.datastore_fields(), "bucket": "no-such-bucket"}
    with pytest.raises(Unreachable, match="no-such-bucket") as raised:
        ws.datastores.create(name="lake", **fields)
    assert s3_endpoint.secret_access_key not in str(raised.value)
    assert [store.name for store in ws.datastores.list()] == ["workspaceblobstore"]


def test_stopped_endpoint_is_unreachable(ws, s3_endpoint: S3Endpoint):
    process, url = start_moto()
    import boto3

    boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="k",
                 aws_secret_access_key="s").create_bucket(Bucket="short-lived")
    stop_process(process)
    fields = {**s3_endpoint.datastore_fields(), "endpoint_url": url, "bucket": "short-lived"}
    with pytest.raises(Unreachable, match="cannot be reached") as raised:
        ws.datastores.create(name="gone", **fields)
    assert s3_endpoint.secret_access_key not in str(raised.value)
    assert [store.name for store in ws.datastores.list()] == ["workspaceblobstore"]


def test_cli_from_yaml_masks_the_secret(workspace_root: Path, s3_endpoint: S3Endpoint, tmp_path: Path):
    spec = tmp_path / "lake.yml"
    spec.write_text(yaml.safe_dump({"name": "lake", **s3_endpoint.datastore_fields()}))
    created = run_cli("datastore", "create", "-f", str(spec), "-o", "json", cwd=workspace_root)
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["config"]["secret_access_key"] == "***"
    for command in (("datastore", "list"), ("datastore", "list", "-o", "json"), ("datastore", "show", "lake"),
                    ("datastore", "show", "lake", "-o", "yaml")):
        done = run_cli(*command, cwd=workspace_root)
        assert done.returncode == 0, done.stderr
        assert "lake" in done.stdout
        assert s3_endpoint.secret_access_key not in done.stdout + done.stderr


def test_cli_wrong_bucket_fails_with_message(workspace_root: Path, s3_endpoint: S3Endpoint, tmp_path: Path):
    spec = tmp_path / "lake.yml"
    spec.write_text(yaml.safe_dump({"name": "lake", **s3_endpoint.datastore_fields(), "bucket": "no-such-bucket"}))
    done = run_cli("datastore", "create", "-f", str(spec), cwd=workspace_root)
    assert done.returncode != 0
    assert "no-such-bucket" in done.stderr and "cannot be reached" in done.stderr
    assert "Traceback" not in done.stderr
    assert s3_endpoint.secret_access_key not in done.stdout + done.stderr
