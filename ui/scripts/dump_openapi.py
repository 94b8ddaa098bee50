"""Write the server's OpenAPI document to a file without starting a server.

Usage: python scripts/dump_openapi.py OUT.json   (with modelyard importable, e.g. the repo's .venv)
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path


def openapi() -> dict:
    from modelyard.api import create_app
    from modelyard.services import workspace as workspaces

    with tempfile.TemporaryDirectory(prefix="modelyard-openapi-") as folder:
        root = Path(folder) / "ws"
        workspaces.create(root, name="openapi")
        return create_app(workspaces.load(root)).openapi()


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(openapi(), indent=2, sort_keys=True) + "\n")
