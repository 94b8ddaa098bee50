"""Data collected at online endpoints (a deployment's ``data_collector``): where it lives, how much was
written and dropped, and reading it back.

The scoring processes write it (``serving._collector``) to ``collected/<endpoint>/<deployment>/`` in the
artifact store. It is read by name as Azure names it, ``azureml:<endpoint>-<deployment>-model_inputs``
(``@latest`` or no version: the collection as it is now), or by endpoint, deployment and collection.
"""

from __future__ import annotations

import json
from datetime import datetime

from modelyard.data._collected import CollectedData, collected_span, column_types, read_collected
from modelyard.errors import InvalidInput, NotFound
from modelyard.services._context import ServiceContext
from modelyard.services.endpoints import EndpointService
from modelyard.serving._collector import COLLECTIONS, STATUS_FOLDER
from modelyard.spec.endpoint import CollectedData as CollectedDataRecord, DataCollectionStatus
from modelyard.spec.monitor import COLLECTED_DATA_NAME

def collected_key(endpoint: str, deployment: str) -> str:
    return f"collected/{endpoint}/{deployment}"


class DataCollectionService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.endpoints = EndpointService(context)

    def get(self, endpoint: str, deployment: str) -> DataCollectionStatus:
        """What a deployment's data collector wrote and dropped, all its scoring processes together."""
        collector = self.endpoints.get_deployment(endpoint, deployment).data_collector
        fs, root = self._folder(endpoint, deployment)
        rows, dropped, files, errors = dict.fromkeys(COLLECTIONS, 0), 0, 0, 0
        status_folder = f"{root}/{STATUS_FOLDER}"
        for path in fs.glob(f"{status_folder}/*.json") if fs.exists(status_folder) else []:
            try:
                status = json.loads(fs.cat_file(path))
            except (OSError, ValueError):
                continue  # being replaced this instant: counted again on the next look
            for name in COLLECTIONS:
                rows[name] += int(status.get("rows", {}).get(name, 0))
            dropped += int(status.get("dropped", 0))
            files += int(status.get("files", 0))
            errors += int(status.get("write_errors", 0))
        return DataCollectionStatus(
            endpoint_name=endpoint, deployment_name=deployment,
            collections=collector.enabled if collector else [],
            sampling_rate=collector.sampling_rate if collector else 0.0,
            path=self.context.artifacts.uri(collected_key(endpoint, deployment)),
            rows=rows, dropped_rows=dropped, files=files, write_errors=errors)

    def read(self, endpoint: str, deployment: str, collection: str, start: datetime | None = None,
             end: datetime | None = None) -> CollectedData:
        """The rows ``collection`` holds in [start, end) (also after the deployment is gone); files that do
        not read are skipped and listed."""
        if collection not in COLLECTIONS:
            raise InvalidInput(f"collection {collection!r} does not exist; use model_inputs or model_outputs")
        fs, root = self._folder(endpoint, deployment)
        return read_collected(fs, f"{root}/{collection}", start, end)

    def preview(self, endpoint: str, deployment: str, collection: str, rows: int = 20) -> dict:
        """The last ``rows`` rows of ``collection`` as JSON-ready records, the row count and the skipped files."""
        data = self.read(endpoint, deployment, collection)
        table = data.table
        last = table.slice(max(0, table.num_rows - max(0, rows)))
        return {"columns": table.column_names, "row_count": table.num_rows, "files": data.files,
                "skipped_files": data.skipped_files,
                "rows": [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
                         for row in last.to_pylist()]}

    def read_named(self, reference: str, start: datetime | None = None, end: datetime | None = None) -> CollectedData:
        """``azureml:<endpoint>-<deployment>-model_inputs@latest`` (or ``model_outputs``) read now."""
        endpoint, deployment, collection = self.resolve(reference)
        return self.read(endpoint, deployment, collection, start, end)

    def resolve(self, reference: str) -> tuple[str, str, str]:
        """(endpoint, deployment, collection) of a collected-data name; NotFound when no deployment has it."""
        if COLLECTED_DATA_NAME.match(reference) is None:
            raise InvalidInput(f"{reference!r} is not a collected-data name; write "
                               "azureml:<endpoint>-<deployment>-model_inputs (or model_outputs)")
        found = self.find(reference)
        if found is None:
            raise NotFound(f"no deployment collects {reference!r}: no online endpoint and deployment make "
                           f"'{COLLECTED_DATA_NAME.match(reference)['prefix']}'; 'modelyard online-endpoint list' shows them")
        return found

    def find(self, reference: str) -> tuple[str, str, str] | None:
        """(endpoint, deployment, collection) when ``reference`` names a deployment's collected data, else None
        (for a collected-data name no deployment makes, too)."""
        match = COLLECTED_DATA_NAME.match(reference)
        if match is None:
            return None
        for endpoint in self.endpoints.list():
            for deployment in endpoint.deployments:
                if f"{endpoint.name}-{deployment.name}" == match["prefix"]:
                    return endpoint.name, deployment.name, match["collection"]
        return None

    def list(self) -> list[CollectedDataRecord]:
        """Every enabled collection of every online deployment, with its rows and time range."""
        return [self.summary(endpoint.name, deployment.name, collection)
                for endpoint in self.endpoints.list() for deployment in endpoint.deployments
                if deployment.data_collector for collection in deployment.data_collector.enabled]

    def summary(self, endpoint: str, deployment: str, collection: str) -> CollectedDataRecord:
        fs, root = self._folder(endpoint, deployment)
        span = collected_span(fs, f"{root}/{collection}")
        return CollectedDataRecord(
            name=f"{endpoint}-{deployment}-{collection}", endpoint_name=endpoint, deployment_name=deployment,
            collection=collection, rows=span.rows, files=span.files, skipped_files=span.skipped_files,
            first_timestamp=span.first, last_timestamp=span.last,
            path=self.context.artifacts.uri(f"{collected_key(endpoint, deployment)}/{collection}"))

    def get_named(self, reference: str) -> CollectedDataRecord:
        """``modelyard data show <endpoint>-<deployment>-model_inputs``: rows and time range of that collection."""
        return self.summary(*self.resolve(reference))

    def column_types(self, reference: str) -> dict[str, str]:
        """The columns of the collection ``reference`` names and their types (empty before anything is
        collected)."""
        endpoint, deployment, collection = self.resolve(reference)
        fs, root = self._folder(endpoint, deployment)
        return column_types(fs, f"{root}/{collection}")

    def _folder(self, endpoint: str, deployment: str):
        import fsspec

        return fsspec.core.url_to_fs(self.context.artifacts.uri(collected_key(endpoint, deployment)))
