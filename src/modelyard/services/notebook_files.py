"""The workspace's notebooks folder as files: listed, downloaded and uploaded (the studio's Notebooks page).

Paths are relative to ``notebooks/`` and never leave it; an upload is written beside its target and
renamed into place, so a broken upload leaves the old file (or nothing) behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from modelyard.errors import InvalidInput, NotFound
from modelyard.services._context import ServiceContext
from modelyard.services.compute_instances import notebooks_folder
from modelyard.spec.notebook import NotebookFile

HIDDEN = (".ipynb_checkpoints", ".")


class NotebookFiles:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    @property
    def root(self) -> Path:
        return notebooks_folder(self.context.location)

    def list(self) -> list[NotebookFile]:
        files = []
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root)
            if path.is_file() and not any(part.startswith(HIDDEN) for part in relative.parts):
                stat = path.stat()
                files.append(NotebookFile(path=relative.as_posix(), size=stat.st_size,
                                          modified_at=datetime.fromtimestamp(stat.st_mtime, timezone.utc)))
        return files

    def get(self, path: str) -> Path:
        target = self._resolve(path)
        if not target.is_file():
            raise NotFound(f"notebook file '{path}' not found; 'GET /api/notebooks' lists the files")
        return target

    def upload(self, path: str, content: BinaryIO) -> NotebookFile:
        target = self._resolve(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(descriptor, "wb") as out:
                shutil.copyfileobj(content, out)
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        return next(f for f in self.list() if f.path == target.relative_to(self.root).as_posix())

    def _resolve(self, path: str) -> Path:
        parts = PurePosixPath(path).parts
        if not parts or PurePosixPath(path).is_absolute() or any(p in ("..", "") or p.startswith(HIDDEN)
                                                                 for p in parts):
            raise InvalidInput(f"notebook path {path!r} is not allowed: give a path inside notebooks/, "
                               "without '..' or hidden folders, e.g. 'attrition/train.ipynb'")
        return self.root.joinpath(*parts)
