"""``serving.ready_timeout_seconds`` in workspace.yaml: a deployment whose scoring processes are not ready in
time is Failed with the reason; a timeout that is not a positive number of seconds is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from server_fixtures import workspace_server
from workshop_rows import register_pipeline

NEVER_READY = '''
import time


def init():
    time.sleep(3600)  # a model that takes an hour to load


def run(raw_data):
    return raw_data
'''


def test_a_deployment_not_ready_within_the_timeout_fails(tmp_path: Path, hr_csv: Path):
    from modelyard.errors import InvalidInput

    code = tmp_path / "code"
    code.mkdir()
    (code / "score.py").write_text(NEVER_READY)
    with workspace_server(tmp_path / "ws", "ready", {"serving": {"ready_timeout_seconds": 2}}) as (_, ws):
        register_pipeline(ws, hr_csv, tmp_path / "model")
        ws.online_endpoints.create(name="slow")
        with pytest.raises(InvalidInput, match="did not become ready"):
            # waits far longer than the workspace's timeout: the deployment fails on the server's clock
            ws.online_endpoints.create_deployment(
                name="blue", endpoint_name="slow", model="attrition:1",
                code_configuration={"code": str(code), "scoring_script": "score.py"})
        assert ws.online_endpoints.get_deployment("slow", "blue").state == "Failed"


@pytest.mark.parametrize("value", [0, -5, "soon"])
def test_a_ready_timeout_that_is_not_positive_seconds_is_refused(workspace_root: Path, value):
    from modelyard.errors import InvalidInput
    from modelyard.services import workspace as workspaces

    config = workspace_root / workspaces.FOLDER / workspaces.CONFIG_FILE
    config.write_text(yaml.safe_dump({**yaml.safe_load(config.read_text()), "serving": {"ready_timeout_seconds": value}}))
    with pytest.raises(InvalidInput, match="ready_timeout_seconds"):
        workspaces.load(workspace_root)
