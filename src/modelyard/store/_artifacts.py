"""The artifact store: bulk bytes (dataset files, later models and outputs) under one fsspec root.

Writes go to a temporary key first and are moved into place in one step, so a failed upload
never leaves a half-written object under its final key.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path
from typing import BinaryIO

from modelyard._owner_only import private_folder

CHUNK = 1 << 20


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class ArtifactStore:
    """Keys are '/'-separated paths below ``root`` (a local folder or any fsspec URL)."""

    def __init__(self, root: str) -> None:
        import fsspec

        self.root = root.rstrip("/")
        self.fs, self._root_path = fsspec.core.url_to_fs(self.root)
        self.is_local = self.fs.protocol in ("file", ("file", "local")) or "file" in self.fs.protocol
        if self.is_local:
            private_folder(Path(self._root_path))

    def _path(self, key: str) -> str:
        return f"{self._root_path}/{key.lstrip('/')}"

    def uri(self, key: str) -> str:
        path = self._path(key)
        return Path(path).as_uri() if self.is_local else self.fs.unstrip_protocol(path)

    def local_path(self, key: str) -> Path:
        if not self.is_local:
            raise RuntimeError("local_path is only defined for a local artifact store")
        return Path(self._path(key))

    def exists(self, key: str) -> bool:
        return self.fs.exists(self._path(key))

    def list(self, prefix: str) -> list[str]:
        base = self._path(prefix).rstrip("/")
        if not self.fs.exists(base):
            return []
        found = self.fs.find(base)
        return sorted(f"{prefix.rstrip('/')}/{p[len(base):].lstrip('/')}" for p in found)

    def put_files(self, files: dict[str, Path], prefix: str) -> None:
        """Upload ``{relative name: local file}`` under ``prefix`` atomically as a whole."""
        if self.exists(prefix):
            return
        staging = f"_staging/{uuid.uuid4().hex}"
        try:
            for relative, local in files.items():
                target = self._path(f"{staging}/{relative}")
                self.fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
                self.fs.put_file(str(local), target)
            self.fs.makedirs(self._path(prefix).rsplit("/", 1)[0], exist_ok=True)
            try:
                self.fs.mv(self._path(staging), self._path(prefix), recursive=True)
            except (FileExistsError, OSError):
                if not self.exists(prefix):
                    raise
        finally:
            if self.fs.exists(self._path(staging)):
                self.fs.rm(self._path(staging), recursive=True)

    def put_stream(self, stream: BinaryIO, key: str) -> int:
        """Write a stream to ``key`` through a temporary key; return the byte count."""
        staging = self._path(f"_staging/{uuid.uuid4().hex}")
        self.fs.makedirs(staging.rsplit("/", 1)[0], exist_ok=True)
        size = 0
        try:
            with self.fs.open(staging, "wb") as out:
                while chunk := stream.read(CHUNK):
                    out.write(chunk)
                    size += len(chunk)
            self.fs.makedirs(self._path(key).rsplit("/", 1)[0], exist_ok=True)
            self.fs.mv(staging, self._path(key))
        finally:
            if self.fs.exists(staging):
                self.fs.rm(staging)
        return size

    def sweep_staging(self, started: float) -> list[str]:
        """Remove what writers killed mid-upload left under ``_staging/``: entries nothing has
        written to since ``started`` (the server's start). Returns the removed keys."""
        if not self.is_local:
            return []  # a remote store's staging is swept by its own lifecycle rules
        return sweep_older(Path(self._path("_staging")), "*", started)

    def open(self, key: str, mode: str = "rb"):
        return self.fs.open(self._path(key), mode)

    def delete(self, key: str) -> None:
        if self.exists(key):
            self.fs.rm(self._path(key), recursive=True)


def _last_written(path: Path) -> float:
    if not path.is_dir():
        return path.lstat().st_mtime
    return max([path.lstat().st_mtime] + [p.lstat().st_mtime for p in path.rglob("*")])


def sweep_older(folder: Path, pattern: str, started: float) -> list[str]:
    """Remove the entries of ``folder`` matching ``pattern`` last written before ``started``."""
    removed = []
    for entry in sorted(folder.glob(pattern)) if folder.is_dir() else []:
        try:
            if _last_written(entry) >= started:
                continue
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        except FileNotFoundError:
            continue
        removed.append(entry.name)
    return removed
