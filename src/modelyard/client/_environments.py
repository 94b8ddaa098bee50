"""SDK for environments: ``ws.environments.create("env.yml")``, ``ws.environments.get("attrition-env@latest")``.

The files a YAML names (``conda_file``, ``requirements``; relative to the YAML) are read here and sent
as content, so the server keeps exactly what the version was built from.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from modelyard.client._http import ApiClient
from modelyard.client._jobs import load_document
from modelyard.errors import InvalidInput
from modelyard.spec._common import AssetRef, validate_spec
from modelyard.spec.environment import Environment, EnvironmentCreate

SETTLED = ("Ready", "Failed")


class EnvironmentOperations:
    def __init__(self, api: Callable[[], ApiClient]) -> None:
        self._api = api

    def create(self, environment: str | Path | dict[str, Any], **fields: Any) -> Environment:
        """A new version from its YAML file or a dict (``fields`` override the file's); its build starts at once."""
        document, base = load_document(environment)
        document.update({k: v for k, v in fields.items() if v is not None})
        document = _read_files(document, base)
        checked = validate_spec(EnvironmentCreate, document, "environment")
        return Environment.model_validate(self._api().post(
            "/api/environments", json=checked.model_dump(mode="json", by_alias=True, exclude_none=True)))

    @staticmethod
    def _route(reference: str) -> str:
        ref = AssetRef.parse(reference.removeprefix("azureml:"))
        return f"/api/environments/{quote(ref.name)}/versions/{quote(str(ref.version or ref.label or 'latest'))}"

    def get(self, reference: str) -> Environment:
        """``name``, ``name:3``, ``name@latest`` or ``azureml:name:3``."""
        return Environment.model_validate(self._api().get(self._route(reference)))

    def list(self, name: str | None = None, include_archived: bool = False) -> list[Environment]:
        params: dict[str, Any] = {"include_archived": include_archived, **({"name": name} if name else {})}
        return [Environment.model_validate(e) for e in self._api().get("/api/environments", params=params)]

    def archive(self, reference: str) -> Environment:
        return Environment.model_validate(self._api().patch(self._route(reference), json={"archived": True}))

    def build_log(self, reference: str) -> str:
        return self._api().get(self._route(reference) + "/log").decode("utf-8", errors="replace")

    def wait(self, reference: str, timeout: float = 600, poll: float = 0.5) -> Environment:
        """The version once its build has ended (Ready or Failed); TimeoutError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.get(reference)
            if found.state in SETTLED:
                return found
            if time.monotonic() > deadline:
                raise TimeoutError(f"environment {found.name}:{found.version} still {found.state} after {timeout:g} s; "
                                   f"its build job is {found.build_job}")
            time.sleep(poll)


def _read_files(document: dict[str, Any], base: Path) -> dict[str, Any]:
    """``conda_file`` and ``requirements`` given as paths, replaced by what the files hold."""
    import yaml

    read = dict(document)
    for field in ("conda_file", "requirements"):
        value = read.get(field)
        if not isinstance(value, str):
            continue
        path = (base / value.removeprefix("file:")).resolve()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InvalidInput(f"{field}: file {path} does not exist") from None
        if field == "conda_file":
            try:
                read[field] = yaml.safe_load(text) or {}
            except yaml.YAMLError as error:
                raise InvalidInput(f"conda_file: {path} is not valid YAML: {error}") from None
        else:
            read[field] = [line.split("#", 1)[0].strip() for line in text.splitlines()
                           if line.split("#", 1)[0].strip()]
    return read
