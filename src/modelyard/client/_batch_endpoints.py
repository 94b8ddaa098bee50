"""SDK for batch endpoints: ``ws.batch_endpoints``; an invocation is a job (deployments: _deployments.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from modelyard.client._http import ApiClient
from modelyard.client._jobs import REMOTE_PREFIXES, _Uploader, load_document
from modelyard.errors import Conflict
from modelyard.spec._common import validate_spec
from modelyard.spec.batch_endpoint import BatchEndpoint, BatchEndpointCreate, BatchEndpointUpdate, BatchInvoke
from modelyard.spec.job_record import Job

ROOT = "/api/batch-endpoints"


class BatchEndpointOperations:
    def __init__(self, api: Callable[[], ApiClient]) -> None:
        self._api = api

    def create_or_update(self, spec: str | Path | dict[str, Any] | None = None, **fields: Any) -> BatchEndpoint:
        """Create the endpoint, or update the description, tags and defaults of the one of that name.

        ``spec`` is a YAML file or a dict; ``fields`` are set over it."""
        document = {**(load_document(spec)[0] if spec is not None else {}), **fields}
        checked = validate_spec(BatchEndpointCreate, document, "batch endpoint")
        api = self._api()
        try:
            return BatchEndpoint.model_validate(api.post(
                ROOT, json=checked.model_dump(mode="json", by_alias=True, exclude_none=True)))
        except Conflict:
            given = checked.model_dump(mode="json", exclude_unset=True)  # what the caller set, nothing else
            change = {k: v for k, v in given.items() if k in BatchEndpointUpdate.model_fields}
            return self.update(checked.name, **change)

    def get(self, name: str) -> BatchEndpoint:
        return BatchEndpoint.model_validate(self._api().get(f"{ROOT}/{quote(name)}"))

    def list(self) -> list[BatchEndpoint]:
        return [BatchEndpoint.model_validate(e) for e in self._api().get(ROOT)]

    def update(self, name: str, **change: Any) -> BatchEndpoint:
        checked = validate_spec(BatchEndpointUpdate, change, "batch endpoint change")
        return BatchEndpoint.model_validate(self._api().patch(
            f"{ROOT}/{quote(name)}", json=checked.model_dump(mode="json", exclude_unset=True)))

    def delete(self, name: str) -> None:
        self._api().delete(f"{ROOT}/{quote(name)}")

    def invoke(self, name: str, input: str | Path, deployment_name: str | None = None,
               mini_batch_size: int | None = None, output_name: str | None = None,
               experiment_name: str | None = None, input_type: str | None = None) -> Job:
        """Start a scoring job over ``input``: a data asset (``name:3``, ``name@latest``, ``azureml:...``),
        a local file (scored row by row) or folder (scored file by file), which is uploaded."""
        api = self._api()
        path, kind = str(input), input_type
        if not path.startswith(REMOTE_PREFIXES):
            local = Path(path).expanduser()
            if local.exists():
                kind = kind or ("uri_folder" if local.is_dir() else "uri_file")
                path = _Uploader(api, Path.cwd()).snapshot(str(local.resolve()), "input")
            else:
                path = f"azureml:{path}"
        request = validate_spec(BatchInvoke, dict(
            input=path, input_type=kind, deployment_name=deployment_name, mini_batch_size=mini_batch_size,
            output_name=output_name, experiment_name=experiment_name), "batch invocation")
        return Job.model_validate(api.post(f"{ROOT}/{quote(name)}/jobs",
                                           json=request.model_dump(mode="json", exclude_none=True)))

    def list_jobs(self, name: str) -> list[Job]:
        return [Job.model_validate(j) for j in self._api().get(f"{ROOT}/{quote(name)}/jobs")]


__all__ = ["BatchEndpointOperations"]
