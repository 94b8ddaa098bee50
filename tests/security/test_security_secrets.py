"""Datastore credentials never sit in the workspace's files in plain text, and the workspace's files are
owner-only (issue 10, item 4)."""

from __future__ import annotations

import json
import os
import stat
import uuid
from pathlib import Path

import pytest

from modelyard.client import ApiClient
from modelyard.errors import Conflict
from modelyard.services import workspace as workspaces
from server_fixtures import S3Endpoint

PASSWORD = "pg-Secret-Word-9183"
HTTP_PASSWORD = "http-Secret-Word-5521"
LAKE = "modelyard://datastores/lake/paths"


def files_holding(root: Path, secret: str) -> list[str]:
    """Every file under ``root`` whose bytes contain ``secret`` (database, its log, config, artifacts...)."""
    return sorted(str(path.relative_to(root)) for path in root.rglob("*")
                  if path.is_file() and secret.encode() in path.read_bytes())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def stored_secrets(root: Path, name: str) -> dict:
    """The ``config`` and ``secrets`` columns of a datastore row, read with plain sqlite3."""
    import sqlite3

    connection = sqlite3.connect(f"file:{root / '.modelyard' / 'modelyard.db'}?mode=ro", uri=True)
    try:
        config, secrets = connection.execute("SELECT config, secrets FROM datastores WHERE name = ?", (name,)).fetchone()
    finally:
        connection.close()
    return {"config": json.loads(config), "secrets": json.loads(secrets) if secrets else None}


def decrypted(root: Path, token: str) -> str:
    from cryptography.fernet import Fernet

    return Fernet((root / ".modelyard" / "secret.key").read_bytes()).decrypt(token.encode()).decode()


@pytest.fixture
def permissive_umask():
    """A umask that lets group and others read new files, so owner-only modes come from modelyard itself."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def lake_csv(s3_endpoint: S3Endpoint, hr_csv: Path) -> str:
    """A fresh key prefix in the moto bucket holding HR.csv; the prefix."""
    prefix = f"secrets-{uuid.uuid4().hex[:8]}"
    s3_endpoint.filesystem().put_file(str(hr_csv), f"{s3_endpoint.bucket}/{prefix}/HR.csv")
    return prefix


@pytest.fixture
def pg_reader(postgres_server):
    """A database with a ``people`` table and a role that reads it with PASSWORD; the role's URL."""
    url = postgres_server.create_database("secrets")
    database = url.rsplit("/", 1)[1]
    role = f"reader_{database[-10:]}"
    postgres_server.execute(
        "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
        "INSERT INTO people VALUES (1, 'ada'), (2, 'grace'), (3, 'alan')",
        f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'",
        f"GRANT SELECT ON people TO {role}",
        database=database,
    )
    return postgres_server.url(database, user=role, password=PASSWORD)


# -- new datastores ---------------------------------------------------------------------------------

@pytest.mark.s3
def test_s3_secret_is_encrypted_at_rest_and_never_answered(ws, workspace_root: Path, s3_endpoint: S3Endpoint,
                                                          lake_csv: str, hr_csv: Path):
    secret = s3_endpoint.secret_access_key
    api = ApiClient.embedded(workspaces.load(workspace_root))
    try:
        answers = [api.post("/api/datastores", json={"name": "lake", **s3_endpoint.datastore_fields()}),
                   api.get("/api/datastores/lake"), api.get("/api/datastores")]
    finally:
        api.close()
    assert answers[0]["config"]["secret_access_key"] == "***"
    assert all(secret not in json.dumps(answer) for answer in answers)

    asset = ws.data.create(name="hr", type="uri_file", path=f"{LAKE}/{lake_csv}/HR.csv")  # the read path decrypts
    assert Path(ws.data.get("hr").path).read_bytes() == hr_csv.read_bytes() and asset.version == 1

    row = stored_secrets(workspace_root, "lake")
    assert "secret_access_key" not in row["config"] and row["config"]["access_key_id"] == s3_endpoint.access_key_id
    assert decrypted(workspace_root, row["secrets"]["secret_access_key"]) == secret
    assert files_holding(workspace_root, secret) == []


@pytest.mark.postgres
def test_sql_url_password_is_encrypted_at_rest_and_never_answered(ws, workspace_root: Path, pg_reader: str):
    created = ws.datastores.create(name="pg", type="sql", url=pg_reader)
    assert ":***@" in created.config["url"] and PASSWORD not in created.model_dump_json()
    for record in (ws.datastores.get("pg"), *ws.datastores.list()):
        assert PASSWORD not in record.model_dump_json()

    asset = ws.data.create(name="people", type="mltable", datastore="pg", query="SELECT id, name FROM people")
    assert asset.rows == 3 and list(ws.data.get("people").to_pandas()["name"]) == ["ada", "grace", "alan"]

    row = stored_secrets(workspace_root, "pg")
    assert PASSWORD not in row["config"]["url"] and row["config"]["url"] == pg_reader.replace(f":{PASSWORD}", "")
    assert decrypted(workspace_root, row["secrets"]["url_password"]) == PASSWORD
    assert files_holding(workspace_root, PASSWORD) == []


@pytest.mark.s3
def test_replaced_workspace_secret_is_a_clear_error(ws, workspace_root: Path, s3_endpoint: S3Endpoint, lake_csv: str):
    from cryptography.fernet import Fernet

    ws.datastores.create(name="lake", **s3_endpoint.datastore_fields())
    (workspace_root / ".modelyard" / "secret.key").write_bytes(Fernet.generate_key())
    with pytest.raises(Conflict, match="secret_access_key of datastore 'lake' cannot be decrypted") as raised:
        ws.data.create(name="hr", type="uri_file", path=f"{LAKE}/{lake_csv}/HR.csv")
    assert "delete datastore 'lake' and create it again" in str(raised.value)
    assert ws.data.list(include_archived=True) == []


@pytest.fixture
def guarded_http(hr_csv: Path):
    """A loopback file server that answers HR.csv only to Basic auth ``reader:HTTP_PASSWORD``; its base URL."""
    import base64
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    body = hr_csv.read_bytes()
    expected = "Basic " + base64.b64encode(f"reader:{HTTP_PASSWORD}".encode()).decode()

    class Guarded(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            self.answer(with_body=False)

        def do_GET(self) -> None:
            self.answer(with_body=True)

        def answer(self, with_body: bool) -> None:
            status = 401 if self.headers.get("Authorization") != expected else 200 if self.path == "/HR.csv" else 404
            self.send_response(status)
            self.send_header("Content-Length", str(len(body) if status == 200 else 0))
            self.end_headers()
            if with_body and status == 200:
                self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Guarded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_http_url_password_is_encrypted_at_rest_and_sent(ws, workspace_root: Path, guarded_http: str, hr_csv: Path):
    url = guarded_http.replace("http://", f"http://reader:{HTTP_PASSWORD}@")
    assert ws.datastores.create(name="web", type="http", url=url).config["url"] == \
        guarded_http.replace("http://", "http://reader:***@")
    ws.data.create(name="hr", type="uri_file", path="modelyard://datastores/web/paths/HR.csv")
    assert Path(ws.data.get("hr").path).read_bytes() == hr_csv.read_bytes()
    assert files_holding(workspace_root, HTTP_PASSWORD) == []


# -- workspaces from before the encryption -----------------------------------------------------------

def old_workspace(root: Path, name: str, kind: str, config: dict) -> Path:
    """A workspace whose database stops at revision 0005, with one datastore row written the way versions
    before 0006 wrote it (credentials in plain text in ``config``); its database file, left 0644."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from modelyard.store._database import MIGRATIONS

    location = workspaces.create(root, name="old")
    database = location.folder / "modelyard.db"
    engine = create_engine(location.database_url)
    try:
        alembic = Config()
        alembic.set_main_option("script_location", str(MIGRATIONS))
        with engine.begin() as connection:
            alembic.attributes["connection"] = connection
            command.upgrade(alembic, "0005")
            connection.execute(text("INSERT INTO datastores (name, type, config, description, is_default, created_at) "
                                    "VALUES (:name, :type, :config, NULL, 0, '2026-01-01 00:00:00.000000')"),
                               {"name": name, "type": kind, "config": json.dumps(config)})
    finally:
        engine.dispose()
    database.chmod(0o644)
    return database


@pytest.mark.s3
def test_old_workspace_s3_secret_is_encrypted_on_open(tmp_path: Path, s3_endpoint: S3Endpoint, lake_csv: str,
                                                     hr_csv: Path):
    from modelyard import Workspace

    secret = s3_endpoint.secret_access_key
    fields = {key: value for key, value in s3_endpoint.datastore_fields().items() if key != "type"}
    database = old_workspace(tmp_path / "old", "lake", "s3", fields)
    assert secret.encode() in database.read_bytes()  # the starting point really is plain text

    with Workspace(tmp_path / "old") as ws:
        assert files_holding(tmp_path / "old", secret) == []
        assert mode(database) == 0o600
        assert ws.datastores.get("lake").config["secret_access_key"] == "***"
        ws.data.create(name="hr", type="uri_file", path=f"{LAKE}/{lake_csv}/HR.csv")
        assert Path(ws.data.get("hr").path).read_bytes() == hr_csv.read_bytes()
    assert decrypted(tmp_path / "old", stored_secrets(tmp_path / "old", "lake")["secrets"]["secret_access_key"]) == secret

    with Workspace(tmp_path / "old") as ws:  # opening again changes nothing and still reads
        assert Path(ws.data.get("hr").path).read_bytes() == hr_csv.read_bytes()


@pytest.mark.postgres
def test_old_workspace_sql_password_is_encrypted_on_open(tmp_path: Path, pg_reader: str):
    from modelyard import Workspace

    database = old_workspace(tmp_path / "old", "pg", "sql", {"url": pg_reader})
    assert PASSWORD.encode() in database.read_bytes()

    with Workspace(tmp_path / "old") as ws:
        assert files_holding(tmp_path / "old", PASSWORD) == []
        assert ":***@" in ws.datastores.get("pg").config["url"]
        asset = ws.data.create(name="people", type="mltable", datastore="pg", query="SELECT name FROM people")
        assert asset.rows == 3


# -- owner-only files -------------------------------------------------------------------------------

def test_new_workspace_files_are_owner_only(tmp_path: Path, permissive_umask):
    from modelyard.services import _secrets
    from modelyard.services._context import ServiceContext

    location = workspaces.create(tmp_path / "ws", name="private")
    context = ServiceContext.open(location)
    try:
        _secrets.encrypt(location.folder, "anything")  # creates the workspace secret
    finally:
        context.close()
    folder = location.folder
    assert {name: mode(folder / name) for name in (".", "artifacts")} == {".": 0o700, "artifacts": 0o700}
    assert {name: mode(folder / name) for name in ("modelyard.db", "secret.key", "workspace.yaml")} == \
        {"modelyard.db": 0o600, "secret.key": 0o600, "workspace.yaml": 0o600}


def test_server_start_tightens_an_existing_workspace_and_loosens_nothing(tmp_path: Path, permissive_umask):
    from modelyard import server as servers
    from modelyard.services import _secrets
    from modelyard.services._context import ServiceContext

    location = workspaces.create(tmp_path / "ws", name="loose")
    ServiceContext.open(location).close()
    _secrets.encrypt(location.folder, "anything")
    folder = location.folder
    for name, loose in ((".", 0o755), ("artifacts", 0o775), ("modelyard.db", 0o644), ("workspace.yaml", 0o664),
                        ("secret.key", 0o400)):
        (folder / name).chmod(loose)
    servers.start_detached(location, "127.0.0.1", 0)
    try:
        modes = {name: mode(folder / name) for name in (".", "artifacts", "modelyard.db", "workspace.yaml",
                                                         "secret.key", "logs")}
    finally:
        servers.stop(location)
    assert modes == {".": 0o700, "artifacts": 0o700, "modelyard.db": 0o600, "workspace.yaml": 0o600,
                     "secret.key": 0o400, "logs": 0o700}


# -- the workspace secret itself ----------------------------------------------------------------------

def test_empty_secret_file_gets_a_key_and_a_broken_one_is_refused(tmp_path: Path):
    from modelyard.services import _secrets

    (tmp_path / "secret.key").touch()  # a crash between creating the file and writing it
    token = _secrets.encrypt(tmp_path, "hello")
    assert _secrets.decrypt(tmp_path, token) == "hello"
    assert len((tmp_path / "secret.key").read_bytes().strip()) == 44

    (tmp_path / "secret.key").write_text("not a key")
    with pytest.raises(Conflict, match="does not hold a workspace secret"):
        _secrets.encrypt(tmp_path, "hello")
    assert (tmp_path / "secret.key").read_text() == "not a key"
