"""The webhook and events commands against a real server, as a user types them."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time

from .conftest import model_folder
from server_fixtures import run_cli


def test_webhook_commands_and_events_tail(events_server, receiver, workspace_root):
    _, ws = events_server
    made = run_cli("webhook", "create", "--name", "ci", "--url", receiver.url + "/ok",
                   "--events", "model.registered,data.version_created", "-o", "json")
    assert made.returncode == 0, made.stderr
    secret = json.loads(made.stdout)["secret"]
    assert secret.startswith("whsec_")
    listed = run_cli("webhook", "list")
    assert "ci" in listed.stdout and secret not in listed.stdout

    tested = run_cli("webhook", "test", "ci", "-o", "json")
    assert tested.returncode == 0 and json.loads(tested.stdout)["status"] == "Succeeded"
    assert json.loads(receiver.wait_for("/ok")[0].body)["type"] == "modelyard.webhook.ping"

    tail = subprocess.Popen([sys.executable, "-m", "modelyard", "events", "tail", "--type", "data.version_created",
                             "-o", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "COLUMNS": "200"})
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in tail.stdout], daemon=True).start()
    try:
        csv = workspace_root / "rows.csv"
        deadline = time.monotonic() + 60
        line = None
        while line is None and time.monotonic() < deadline:  # tail shows only events after it connected
            csv.write_text(f"a,b\n1,{time.monotonic()}\n")
            ws.data.create(name="rows", type="uri_file", path=str(csv))
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                pass
        event = json.loads(line)
        assert event["type"] == "modelyard.data.version_created" and event["subject"].startswith("rows:")
    finally:
        tail.kill()
        tail.communicate(timeout=30)

    versions = len(ws.data.list(name="rows"))
    receiver.wait_for("/ok", 1 + versions)
    shown = run_cli("webhook", "deliveries", "ci", "-o", "json")
    deliveries = json.loads(shown.stdout)
    assert [d["event_type"] for d in deliveries].count("modelyard.data.version_created") == versions
    again = run_cli("webhook", "redeliver", "ci", str(deliveries[0]["id"]), "-o", "json")
    assert again.returncode == 0 and json.loads(again.stdout)["redelivery_of"] == deliveries[0]["id"]
    assert run_cli("webhook", "delete", "ci").returncode == 0
    missing = run_cli("webhook", "show", "ci")
    assert missing.returncode != 0 and "webhook 'ci' not found" in missing.stderr
