"""The audit trail over a real server: records for changes and failures, masked secrets, and a chain
that ``verify`` checks against tampering done straight in the database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import httpx
import pytest
from sqlalchemy import create_engine, text

from server_fixtures import run_cli


def records(ws, **filters):
    return ws.audit.list(limit=10_000, **filters)


def test_create_update_delete_keep_who_what_why_and_the_change(served):
    _, ws, _ = served
    ws.reason = "nightly retraining needs more workers"
    ws.compute.create(name="cpu-a", type="cluster", max_instances=2)
    ws.reason = "back to two (ticket #42, 100% done)"
    ws.compute.update("cpu-a", max_instances=4)
    ws.reason = None
    ws.compute.delete("cpu-a")

    trail = [r for r in records(ws, noun="compute") if r.name == "cpu-a"]
    deleted, updated, created = trail[:3]
    assert (created.verb, created.status, created.reason) == ("create", 201, "nightly retraining needs more workers")
    assert created.diff[0]["op"] == "insert" and created.diff[0]["after"]["config"]["max_instances"] == 2
    assert (updated.verb, updated.status, updated.reason) == ("update", 200, "back to two (ticket #42, 100% done)")
    change = updated.diff[0]
    assert change["before"]["config"]["max_instances"] == 2 and change["after"]["config"]["max_instances"] == 4
    assert (deleted.verb, deleted.status, deleted.reason) == ("delete", 204, None)
    assert deleted.diff == [{"table": "computes", "op": "delete", "row": {"name": "cpu-a"}}]
    import getpass

    assert {r.who for r in trail} == {getpass.getuser()}  # an open loopback server: the local user
    assert {r.client for r in trail} == {"127.0.0.1"}
    assert created.seq < updated.seq < deleted.seq


def test_failed_calls_are_recorded_with_their_status(served):
    info, ws, _ = served
    with httpx.Client(base_url=info.url) as http:
        assert http.delete("/api/compute/no-such-compute").status_code == 404
        assert http.post("/api/compute", json={"name": "bad one", "type": "cluster"}).status_code == 400
        too_long = http.post("/api/compute", json={"name": "cpu-b"}, headers={"X-Modelyard-Reason": "x" * 5000})
        assert too_long.status_code == 400 and "X-Modelyard-Reason" in too_long.json()["detail"]
        assert http.post("/api/v1/service/nowhere/score", json={"data": []}).status_code == 404
    trail = records(ws)
    missing = next(r for r in trail if r.path == "/api/compute/no-such-compute")
    assert (missing.verb, missing.noun, missing.name, missing.status, missing.diff) == \
        ("delete", "compute", "no-such-compute", 404, [])
    refused = next(r for r in trail if r.name == "bad one")  # the name the failed create asked for
    assert (refused.verb, refused.status) == ("create", 400)
    too_long = next(r for r in trail if r.path == "/api/compute" and r.reason == "x" * 1000)  # kept, cut short
    assert (too_long.verb, too_long.noun, too_long.status) == ("post", "compute", 400)  # refused before its route
    assert not any(r.path.startswith("/api/v1/service/") for r in trail)  # scoring is data plane
    assert "cpu-b" not in {c.name for c in ws.compute.list()}  # refused before it ran


def test_secrets_are_masked(served, s3_endpoint):
    _, ws, _ = served
    ws.datastores.create(name="lake", **s3_endpoint.datastore_fields())
    endpoint = ws.online_endpoints.create(name="masked-ep", auth_mode="key")
    keys = ws.online_endpoints.regenerate_keys("masked-ep")
    trail = records(ws)
    dumped = json.dumps([r.model_dump(mode="json") for r in trail])
    assert s3_endpoint.secret_access_key not in dumped
    store = next(r for r in trail if r.noun == "datastore" and r.name == "lake" and r.status == 201)
    assert store.diff[0]["after"]["secrets"] == "***"
    created = next(r for r in trail if r.noun == "online-endpoint" and r.name == endpoint.name and r.verb == "create")
    assert created.diff[0]["after"]["keys"] == "***"
    regenerated = next(r for r in trail if r.verb == "regenerate-keys" and r.name == endpoint.name)
    assert regenerated.diff[0]["before"]["keys"] == regenerated.diff[0]["after"]["keys"] == "***"
    assert keys.primary_key not in dumped


@pytest.fixture
def tamper(served):
    """Run SQL on the server's database, as someone with the file would."""
    _, _, location = served
    engine = create_engine(location.database_url)

    def run(sql: str, **params) -> None:
        with engine.begin() as connection:
            connection.execute(text(sql), params)

    yield run
    engine.dispose()


def test_verify_names_a_removed_and_an_edited_record(served, tamper):
    _, ws, location = served
    for index in range(4):
        ws.compute.create(name=f"chain-{index}", type="cluster", max_instances=1)
    assert ws.audit.verify().ok
    seqs = [r.seq for r in records(ws, noun="compute") if r.name and r.name.startswith("chain-")]
    removed, edited = sorted(seqs)[1], sorted(seqs)[3]

    tamper("DELETE FROM audit_records WHERE seq = :seq", seq=removed)
    tamper("UPDATE audit_records SET reason = 'nothing to see' WHERE seq = :seq", seq=edited)
    result = ws.audit.verify()
    assert not result.ok
    problems = {p.seq: p.problem for p in result.problems}
    assert problems[removed] == f"record {removed} removed (record {removed + 1} follows {removed - 1})"
    assert "edited" in problems[edited] and "hash" in problems[edited]

    cli = run_cli("audit", "verify", cwd=location.root)
    assert cli.returncode == 1
    assert f"record {removed}: record {removed} removed" in cli.stderr and f"record {edited}: " in cli.stderr


def test_verify_names_a_record_edited_and_rehashed(served, tamper):
    _, ws, _ = served
    ws.compute.create(name="rehash-a", type="cluster", max_instances=1)
    ws.compute.create(name="rehash-b", type="cluster", max_instances=1)
    target = next(r for r in records(ws) if r.name == "rehash-a")
    from modelyard.services.audit import record_hash

    forged = target.model_dump()
    forged["who"] = "someone-else"
    tamper("UPDATE audit_records SET who = :who, hash = :hash WHERE seq = :seq", who="someone-else",
           hash=record_hash(forged), seq=target.seq)
    problems = {p.seq: p.problem for p in ws.audit.verify().problems}
    assert problems[target.seq] == (f"record {target.seq} edited or replaced: record {target.seq + 1} links to a "
                                    f"different hash")


def test_list_filters_and_bad_input(served):
    info, ws, location = served
    ws.compute.create(name="filtered", type="cluster", max_instances=1)
    assert all(r.noun == "compute" for r in records(ws, noun="compute"))
    assert records(ws, who="nobody-at-all") == []
    assert len(ws.audit.list(limit=1)) == 1
    assert records(ws, since="2999-01-01") == []
    assert any(r.name == "filtered" for r in records(ws, since="10m"))
    with httpx.Client(base_url=info.url) as http:
        bad = http.get("/api/audit", params={"since": "yesterday"})
        assert bad.status_code == 400 and "30m, 12h, 7d" in bad.json()["detail"]
        assert http.get("/api/audit", params={"limit": 0}).status_code == 400
    listed = run_cli("audit", "list", "--noun", "compute", "-o", "json", cwd=location.root)
    assert listed.returncode == 0 and json.loads(listed.stdout)[0]["noun"] == "compute"
    with_reason = run_cli("-m", "via the CLI", "compute", "create", "--name", "cli-made", "--max-instances", "1",
                          cwd=location.root)
    assert with_reason.returncode == 0, with_reason.stderr
    assert next(r for r in records(ws) if r.name == "cli-made").reason == "via the CLI"


APPENDER = textwrap.dedent("""
    import sys
    from pathlib import Path

    from modelyard.services import workspace as workspaces
    from modelyard.services._context import ServiceContext
    from modelyard.services.audit import AuditService
    from modelyard.store import utcnow

    context = ServiceContext.open(workspaces.load(Path(sys.argv[1])))
    service = AuditService(context)
    for index in range(int(sys.argv[2])):
        service.append(dict(at=utcnow(), who=sys.argv[3], client=None, noun="test", verb="append", name=str(index),
                            version=None, method="POST", path="/api/test", status=201, reason=None, diff=[]))
    context.close()
""")


def append_from_processes(root, processes: int = 3, records: int = 40) -> None:
    writers = [subprocess.Popen([sys.executable, "-c", APPENDER, str(root), str(records), f"writer-{n}"],
                                env={**os.environ}) for n in range(processes)]
    for writer in writers:
        assert writer.wait(timeout=120) == 0


def test_processes_sharing_the_database_keep_one_linear_chain(served):
    _, ws, location = served
    before = ws.audit.verify()  # (earlier tests of this module tampered with the chain on purpose)
    append_from_processes(location.root)
    after = ws.audit.verify()
    assert after.problems == before.problems  # no fork, no gap: the 120 appends went one after another
    assert after.records == before.records + 120


def test_processes_sharing_a_postgresql_database_keep_one_linear_chain(tmp_path, fresh_postgres_url: str):
    from modelyard.services import workspace as workspaces
    from modelyard.services._context import ServiceContext
    from modelyard.services.audit import AuditService

    location = workspaces.create(tmp_path / "pg", name="pg-audit", database=fresh_postgres_url)
    append_from_processes(location.root)
    context = ServiceContext.open(location)
    try:
        result = AuditService(context).verify()
    finally:
        context.close()
    assert result.ok, result.problems
    assert result.records == 120


def test_a_server_with_a_token_records_the_token_identity(tmp_path):
    import hashlib

    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    location = workspaces.create(tmp_path / "tokened", name="tokened")
    info = servers.start_detached(location, "127.0.0.1", 0, require_token=True)
    try:
        token = location.token()
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=info.url, headers=headers) as http:
            assert http.post("/api/compute", json={"name": "tok", "type": "cluster"}).status_code == 201
            assert httpx.post(f"{info.url}/api/compute", json={"name": "anon", "type": "cluster"}).status_code == 401
            trail = http.get("/api/audit").json()
    finally:
        servers.stop(location)
    fingerprint = hashlib.sha256(token.encode()).hexdigest()[:12]
    assert [(r["name"], r["who"]) for r in trail] == [("tok", f"token:{fingerprint}")]
