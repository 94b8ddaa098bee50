"""The workspace server's scoring fast path (api/_scoring_protocol.py) against a real server: a plain
keyed POST is answered below the ASGI layer, anything unusual goes the ASGI way, and a client sees
the same answers, headers and connection handling either way."""

from __future__ import annotations

import json
import socket
import uuid
from urllib.parse import urlsplit

import httpx
import pytest

from workshop_rows import WORKSHOP_ROW

BODY = json.dumps({"data": [WORKSHOP_ROW]}).encode()
TIMEOUT = 120.0  # a socket wait; a loaded machine may answer slowly


@pytest.fixture(scope="module")
def endpoint(served):
    _, ws = served
    ws.online_endpoints.create(name="fast-path")
    ws.online_endpoints.create_deployment(name="blue", endpoint_name="fast-path", model="attrition:1")
    key = ws.online_endpoints.get_credentials("fast-path").primary_key
    url = str(ws._api.http.base_url).rstrip("/") + ws.online_endpoints.get("fast-path").scoring_uri
    return url, key


def request(url: str, key: str, body: bytes = BODY, version: str = "1.1", extra: str = "") -> bytes:
    parts = urlsplit(url)
    return (f"POST {parts.path} HTTP/{version}\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{extra}\r\n").encode() + body


def connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=TIMEOUT)


def read_answer(sock: socket.socket, buffer: bytearray) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 answer off ``sock`` (with a Content-Length), the bytes after it left in ``buffer``."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        assert chunk, f"the connection closed before an answer: {bytes(buffer)!r}"
        buffer += chunk
    head, _, _ = bytes(buffer).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if lines[0].split()[1] == "100":  # an interim answer to Expect: 100-continue
        del buffer[:len(head) + 4]
        return read_answer(sock, buffer)
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    end = len(head) + 4 + int(headers["content-length"])
    while len(buffer) < end:
        chunk = sock.recv(65536)
        assert chunk, "the connection closed mid-answer"
        buffer += chunk
    body = bytes(buffer[len(head) + 4:end])
    del buffer[:end]
    return int(lines[0].split()[1]), headers, body


def test_the_fast_path_and_the_asgi_path_answer_alike(endpoint):
    url, key = endpoint
    auth = {"Authorization": f"Bearer {key}"}
    fast = httpx.post(url, content=BODY, headers={**auth, "Content-Type": "application/json"})
    chunked = httpx.post(url, content=iter([BODY[:10], BODY[10:]]),  # no Content-Length: the ASGI path
                         headers={**auth, "Content-Type": "application/json"})
    assert "content-length" not in chunked.request.headers
    with connect(url) as sock:
        sock.sendall(request(url, key, extra="Expect: 100-continue\r\n"))  # the ASGI path too
        status, expecting, answer = read_answer(sock, bytearray())
    assert fast.status_code == chunked.status_code == status == 200
    assert fast.json()["result"] == chunked.json()["result"] == json.loads(answer)["result"]
    for headers in (fast.headers, chunked.headers, expecting):
        assert headers["azureml-model-deployment"] == "blue" and headers["content-type"] == "application/json"
        assert uuid.UUID(headers["x-request-id"]).version == 4
    assert len({fast.headers["x-request-id"], chunked.headers["x-request-id"], expecting["x-request-id"]}) == 3
    kept = httpx.post(url, content=BODY, headers={**auth, "x-request-id": "order-66"})
    assert kept.headers["x-request-id"] == "order-66"
    wrong = httpx.post(url, content=BODY, headers={"Authorization": "Bearer wrong"})
    assert wrong.status_code == 401 and "key" in wrong.json()["detail"]


def test_pipelined_requests_are_answered_in_order(endpoint):
    url, key = endpoint
    host = urlsplit(url).netloc
    with connect(url) as sock:
        sock.sendall(request(url, key, extra="x-request-id: first\r\n")
                     + f"GET /health HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
                     + request(url, key, extra="x-request-id: third\r\n"))
        buffer = bytearray()
        answers = [read_answer(sock, buffer) for _ in range(3)]
    assert [status for status, _, _ in answers] == [200, 200, 200]
    assert answers[0][1]["x-request-id"] == "first" and "result" in json.loads(answers[0][2])
    assert "x-request-id" not in answers[1][1] and "result" not in json.loads(answers[1][2])
    assert answers[2][1]["x-request-id"] == "third" and "result" in json.loads(answers[2][2])


@pytest.mark.parametrize("version, extra", [("1.0", ""), ("1.1", "Connection: close\r\n")])
def test_a_request_that_ends_its_connection_gets_its_answer_first(endpoint, version, extra):
    url, key = endpoint
    with connect(url) as sock:
        sock.sendall(request(url, key, version=version, extra=extra))
        buffer = bytearray()
        status, _, answer = read_answer(sock, buffer)
        assert status == 200 and "result" in json.loads(answer)
        assert sock.recv(1) == b"" and not buffer, "the server kept the connection open"


def test_a_client_gone_before_its_answer_leaves_the_server_serving(endpoint):
    url, key = endpoint
    for _ in range(20):
        with connect(url) as sock:
            sock.sendall(request(url, key))
    answer = httpx.post(url, content=BODY, headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 200 and "result" in answer.json()


def test_the_request_log_shows_fast_path_requests_with_the_bodies_of_errors(served, endpoint):
    _, ws = served
    url, key = endpoint
    auth = {"Authorization": f"Bearer {key}"}
    bad = json.dumps({"data": [{**WORKSHOP_ROW, "Age": "forty"}]}).encode()
    assert httpx.post(url, content=BODY, headers=auth).status_code == 200
    assert httpx.post(url, content=bad, headers=auth).status_code == 400
    entries = ws._api.http.get("/api/online-endpoints/fast-path/requests", params={"limit": 2}).json()
    assert [(e["endpoint"], e["deployment"], e["status"]) for e in entries] == [("fast-path", "blue", 200),
                                                                                 ("fast-path", "blue", 400)]
    assert "forty" in entries[1]["input"] and "forty" in entries[1]["output"]
    assert all(e["latency_ms"] > 0 and e["time"] > 0 for e in entries)
