"""Port values as folders, so a step's outputs can live in the artifact store and be read back.

DataFrameDirectory: ``data.parquet`` (score metadata kept in pandas' attrs) and ``schema.json``
(``{"columns": {name: type}}``); ModelDirectory: an MLflow model plus ``designer.json`` (learner,
label, features, classes, parameters); UntrainedModel and
TransformationDirectory: a cloudpickle file plus a JSON summary of its parameters;
EvaluationResult: ``evaluation.json``. A folder appears whole or not at all: it is written
beside its place under a hidden name and renamed into place.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

from modelyard.errors import Conflict, InvalidInput

from modelyard.designer._columns import schema_of


def _json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=1, default=str))


def _pickle(folder: Path, name: str, value: Any, summary: dict) -> None:
    import cloudpickle

    (folder / f"{name}.pkl").write_bytes(cloudpickle.dumps(value))
    _json(folder / f"{name}.json", summary)


def _write(value: Any, port_type: str, folder: Path) -> None:
    if port_type == "ModelDirectory":
        value.save(folder)
        _json(folder / "designer.json", value.summary())
        return
    folder.mkdir()
    if port_type == "DataFrameDirectory":
        if value is None:  # a script's second output that it did not return: an empty table, as Azure's
            import pandas as pd

            value = pd.DataFrame()
        value.to_parquet(folder / "data.parquet")
        _json(folder / "schema.json", {"columns": schema_of(value), "rows": len(value)})
    elif port_type == "UntrainedModel":
        _pickle(folder, "untrained_model", value, {"module": value.module, "display_name": value.display_name,
                                                    "task": value.task, "parameters": value.parameters,
                                                    "ranges": value.ranges})
    elif port_type == "TransformationDirectory":
        _pickle(folder, "transformation", value, {"class": type(value).__name__, "parameters": value.get_params()})
    elif port_type == "EvaluationResult":
        _json(folder / "evaluation.json", value)
    else:
        raise InvalidInput(f"no port type '{port_type}'")


def write_port(value: Any, port_type: str, path: str | Path) -> Path:
    """Write ``value`` (of ``port_type``) as the folder ``path``; nothing is left there if writing fails."""
    path = Path(path)
    if path.exists():
        raise Conflict(f"{path} exists already; write each output to a new folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.parent / f".{path.name}.{uuid.uuid4().hex}.partial"
    try:
        _write(value, port_type, staging)
        os.replace(staging, path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return path


def read_port(port_type: str, path: str | Path) -> Any:
    """The value that ``write_port`` wrote at ``path``."""
    path = Path(path)
    if not path.is_dir():
        raise InvalidInput(f"{path} holds no {port_type}: the folder does not exist")
    if port_type == "DataFrameDirectory":
        import pandas as pd

        return pd.read_parquet(path / "data.parquet")
    if port_type == "ModelDirectory":
        import mlflow.sklearn

        return mlflow.sklearn.load_model(str(path))
    if port_type in ("UntrainedModel", "TransformationDirectory"):
        import cloudpickle

        name = "untrained_model" if port_type == "UntrainedModel" else "transformation"
        return cloudpickle.loads((path / f"{name}.pkl").read_bytes())
    return json.loads((path / "evaluation.json").read_text())
