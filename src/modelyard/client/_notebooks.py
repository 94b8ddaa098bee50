"""SDK for the workspace's notebooks folder: ``ws.notebooks.upload("train.ipynb")``, ``list()``, ``download``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from modelyard.client._http import ApiClient
from modelyard.spec.notebook import NotebookFile


def _route(path: str) -> str:
    """One URL segment (slashes encoded), so that no client folds '..' away before the server checks it."""
    return f"/api/notebooks/{quote(path, safe='')}"


class NotebookOperations:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    def list(self) -> list[NotebookFile]:
        return [NotebookFile.model_validate(f) for f in self._api.get("/api/notebooks")]

    def upload(self, source: str | Path, path: str | None = None) -> NotebookFile:
        """Put a local file into notebooks/ as ``path`` (default: its file name), replacing one there."""
        source = Path(source)
        with source.open("rb") as content:
            answer = self._api.request("PUT", _route(path or source.name),
                                       files={"file": (source.name, content)})
        return NotebookFile.model_validate(answer)

    def download(self, path: str, target: str | Path) -> Path:
        """Write notebooks/``path`` to ``target``; a failed download leaves nothing there."""
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        try:
            with partial.open("wb") as out:
                self._api.stream_to(_route(path), out)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        return target
