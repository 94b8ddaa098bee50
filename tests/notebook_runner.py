"""Running a notebook top to bottom with nbclient, in a kernel set up as a compute instance's kernels are."""

from __future__ import annotations

import os
from pathlib import Path

CELL_TIMEOUT_S = 600


def execute_notebook(path: Path, cwd: Path, extra_env: dict[str, str] | None = None):
    """The executed notebook (its outputs filled in); a cell that raises fails the test with nbclient's
    CellExecutionError, which names the cell and shows its traceback."""
    import nbformat
    from nbclient import NotebookClient

    from modelyard.services import workspace as workspaces
    from modelyard.services.compute_instances import kernel_environment

    notebook = nbformat.read(path, as_version=4)
    env = {**kernel_environment(workspaces.find(start=cwd), dict(os.environ)), **(extra_env or {})}
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    client.execute(env=env)
    return notebook


def printed(notebook) -> str:
    """Everything the notebook's cells printed (stdout), in order."""
    return "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                   for output in cell.get("outputs", []) if output.get("name") == "stdout")
