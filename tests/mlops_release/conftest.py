"""A workspace server with the attrition data split into a training part and a held-out part, and the release
script of examples/mlops run against it through the CLI, as a CI runner would (MODELYARD_URL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from server_fixtures import workspace_server

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "mlops"
HOLDOUT_ROWS = 370
RELEASE_TIMEOUT_S = 600


@pytest.fixture(scope="package")
def release_server(tmp_path_factory, hr_csv):
    """(server url, SDK workspace) with data assets attrition-train and attrition-holdout."""
    lines = hr_csv.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    folder = tmp_path_factory.mktemp("release-data")
    (folder / "train.csv").write_text("".join(lines[:-HOLDOUT_ROWS]), encoding="utf-8")
    (folder / "holdout.csv").write_text("".join(lines[:1] + lines[-HOLDOUT_ROWS:]), encoding="utf-8")
    with workspace_server(tmp_path_factory.mktemp("release") / "ws", "release") as (info, ws):
        for part in ("train", "holdout"):
            ws.data.create(name=f"attrition-{part}", type="mltable", path=str(folder / f"{part}.csv"))
        yield info.url, ws


def release(url: str, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """``python examples/mlops/release.py ARGS`` with the server's URL in the environment, as the templates run it."""
    env = {**os.environ, "MODELYARD_URL": url, "MODELYARD_CLI": f"{sys.executable} -m modelyard", "COLUMNS": "200"}
    env.pop("MODELYARD_WORKSPACE", None)
    return subprocess.run([sys.executable, str(EXAMPLES / "release.py"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=RELEASE_TIMEOUT_S)
