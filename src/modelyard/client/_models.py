"""SDK for the model registry: ``ws.models.create(name="attrition", path="runs:/<run>/model")``."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from modelyard.client._http import ApiClient
from modelyard.client._jobs import REMOTE_PREFIXES, _Uploader
from modelyard.spec._common import AssetRef, validate_spec
from modelyard.spec.endpoint import OnlineDeployment
from modelyard.spec.model import Model, ModelCreate

MODEL_PREFIXES = REMOTE_PREFIXES + ("runs:/", "azureml://jobs/")


class ModelOperations:
    def __init__(self, api: Callable[[], ApiClient]) -> None:
        self._api = api

    def create(self, spec: ModelCreate | dict[str, Any] | None = None, **fields: Any) -> Model:
        document = spec.model_dump(mode="json", by_alias=True, exclude_none=True) if isinstance(spec, ModelCreate) \
            else dict(spec or fields)
        api = self._api()
        if isinstance(document.get("path"), str) and not document["path"].startswith(MODEL_PREFIXES):
            document["path"] = _Uploader(api, Path.cwd()).snapshot(document["path"], "path")
        checked = validate_spec(ModelCreate, document, "model")
        return Model.model_validate(api.post("/api/models", json=checked.model_dump(mode="json", by_alias=True,
                                                                                   exclude_none=True)))

    @staticmethod
    def _route(reference: str, version: int | None = None) -> str:
        ref = AssetRef.parse(reference.removeprefix("azureml:"))
        slot = version or ref.version or ref.label or "latest"
        return f"/api/models/{quote(ref.name)}/versions/{quote(str(slot))}"

    def get(self, reference: str, version: int | None = None) -> Model:
        return Model.model_validate(self._api().get(self._route(reference, version)))

    def list(self, name: str | None = None, include_archived: bool = False) -> list[Model]:
        params: dict[str, Any] = {"include_archived": include_archived}
        if name:
            params["name"] = name
        return [Model.model_validate(m) for m in self._api().get("/api/models", params=params)]

    def update(self, reference: str, **change: Any) -> Model:
        return Model.model_validate(self._api().patch(self._route(reference), json=change))

    def archive(self, reference: str) -> Model:
        return self.update(reference, archived=True)

    def deployments(self, reference: str) -> list[OnlineDeployment]:
        """The online deployments serving this model version (the end of its lineage)."""
        return [OnlineDeployment.model_validate(d) for d in self._api().get(f"{self._route(reference)}/deployments")]

    def package(self, reference: str, output: str | Path) -> Path:
        """A self-contained folder serving the model (requirements, entry point, Dockerfile)."""
        from modelyard.client._package import build_package

        return build_package(self, reference, Path(output))

    def download(self, reference: str, target: str | Path) -> Path:
        api, route = self._api(), self._route(reference)
        target = Path(target)
        for entry in api.get(f"{route}/files"):
            destination = target / entry["name"]
            destination.parent.mkdir(parents=True, exist_ok=True)
            with destination.open("wb") as out:
                api.stream_to(f"{route}/files/{quote(entry['name'])}", out)
        return target
