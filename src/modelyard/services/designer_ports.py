"""Reading back the output ports of a submitted Designer draft's steps: a dataset port as paged rows with
its schema, an evaluation port as metrics and curves, a model or transformation port as its parameters.
Only JSON and parquet files are read: nothing a step wrote is unpickled here."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select

from modelyard._json import plain
from modelyard.errors import Conflict, InvalidInput, NotFound
from modelyard.services._context import ServiceContext
from modelyard.services._designer_pipeline import DESIGNER_MODULE_TAG
from modelyard.services._rows import get_one
from modelyard.spec.data import ColumnSchema, DataProfile, ParseSettings
from modelyard.spec.job_status import JobStatus
from modelyard.store import JobRow

MAX_ROWS = 10_000
# a port schema's types as the data engine profiles them (it has no categorical type: those are text)
PROFILE_TYPE = {"categorical": "string"}
# the JSON summary each port type leaves beside its value
SUMMARY_FILE = {"EvaluationResult": "evaluation.json", "ModelDirectory": "designer.json",
                "UntrainedModel": "untrained_model.json", "TransformationDirectory": "transformation.json"}


class DesignerPortService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def read(self, job_name: str, port: str, offset: int = 0, limit: int = 100) -> dict[str, Any]:
        """Output ``port`` of step job ``job_name``: ``{"type", "module", ...}`` with ``columns``, ``total`` and
        ``rows`` (a page from ``offset``) for a dataset, else ``value`` (the port's JSON summary)."""
        if offset < 0 or not 1 <= limit <= MAX_ROWS:
            raise InvalidInput(f"offset must be 0 or more and limit between 1 and {MAX_ROWS}; got {offset}, {limit}")
        found = self._written(job_name, port)
        key = found.pop("key")
        if found["type"] != "DataFrameDirectory":
            return {**found, "value": self._json(f"{key}/{SUMMARY_FILE[found['type']]}")}
        return {**found, **self._page(key, offset, limit)}

    def _written(self, job_name: str, port: str) -> dict[str, Any]:
        """What step job ``job_name`` wrote on output ``port``: its type, module and artifact key."""
        from modelyard.designer import get_module

        row = get_one(self.context, select(JobRow).where(JobRow.name == job_name),
                      f"job '{job_name}' not found; 'modelyard job list' shows the jobs")
        module_id = (row.tags or {}).get(DESIGNER_MODULE_TAG)
        if module_id is None:
            raise InvalidInput(f"job '{job_name}' is not a step of a submitted Designer draft; its outputs are files "
                               f"(`modelyard job download {job_name} --output-name NAME`)")
        spec = get_module(module_id).spec
        declared = spec.output(port)
        if declared is None:
            raise NotFound(f"{spec.display_name} (job '{job_name}') has no output port '{port}'; its outputs are: "
                           + ", ".join(p.name for p in spec.outputs))
        written = (row.outputs or {}).get(port)
        if row.status != JobStatus.COMPLETED or written is None:
            raise Conflict(f"step '{row.step}' ({spec.display_name}) is {row.status}: output '{port}' exists once it "
                           "completes")
        return {"type": declared.type, "module": module_id, "port": port, "job": job_name, "key": written["key"]}

    def profile(self, job_name: str, port: str) -> DataProfile:
        """The column profile of dataset port ``port`` of step job ``job_name`` (as a data asset's profile)."""
        from modelyard import data as engine

        found = self._written(job_name, port)
        if found["type"] != "DataFrameDirectory":
            raise InvalidInput(f"output '{port}' of job '{job_name}' is a {found['type']}; only dataset ports "
                               "have a column profile")
        import pyarrow.parquet as pq

        schema = self._json(f"{found['key']}/schema.json")["columns"]
        columns = [ColumnSchema(name=name, type=PROFILE_TYPE.get(kind, kind)) for name, kind in schema.items()]
        with tempfile.TemporaryDirectory(prefix="designer-port-") as folder:
            local = self._local(f"{found['key']}/data.parquet", Path(folder))
            # pandas stores a row index that is not 0..n-1 (Split Data's rows) as a column of its own; like the
            # table view, the profile shows the port's schema, not that index
            stored = pq.read_schema(local).names
            columns += [ColumnSchema(name=name, type="string", include=False) for name in stored if name not in schema]
            return engine.profile_source(engine.TabularSource((str(local),), ParseSettings(format="parquet")),
                                         columns)

    def _local(self, key: str, folder: Path) -> Path:
        if self.context.artifacts.is_local:
            return self.context.artifacts.local_path(key)
        target = folder / Path(key).name
        with self.context.artifacts.open(key) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
        return target

    def _json(self, key: str) -> Any:
        with self.context.artifacts.open(key) as handle:
            return json.loads(handle.read())

    def _page(self, key: str, offset: int, limit: int) -> dict[str, Any]:
        import pyarrow.parquet as pq

        schema = self._json(f"{key}/schema.json")
        with self.context.artifacts.open(f"{key}/data.parquet") as handle:
            table = pq.read_table(handle, columns=list(schema["columns"]))
        page = table.slice(offset, limit)
        return {"columns": [{"name": name, "type": kind} for name, kind in schema["columns"].items()],
                "total": table.num_rows, "offset": offset, "limit": limit,
                "rows": plain([list(record.values()) for record in page.to_pylist()])}
