"""Where a data asset's bytes come from and how they are snapshotted, hashed and read back.

A local source is copied into the workspace's artifact store, content-addressed by sha256. A
source in a datastore or at a URL stays where it is; its files and checksums are recorded and
checked again every time it is read.
"""

from __future__ import annotations

import glob
import hashlib
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from modelyard.errors import InvalidInput, Unreachable
from modelyard.spec.datastore import DEFAULT_DATASTORE
from modelyard.store import sha256_file

URI_PREFIX = "modelyard://datastores/"
TABULAR_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".pq", ".jsonl", ".ndjson", ".json")


def datastore_uri(datastore: str, path: str) -> str:
    return f"{URI_PREFIX}{datastore}/paths/{path.lstrip('/')}"


def parse_datastore_uri(uri: str) -> tuple[str, str]:
    rest = uri.removeprefix(URI_PREFIX)
    name, sep, path = rest.partition("/paths/")
    if not sep or not name:
        raise InvalidInput(f"{uri!r} is not a datastore path: write {URI_PREFIX}<datastore>/paths/<path>")
    return name, path


@dataclass
class FileEntry:
    name: str
    sha256: str
    size: int

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "sha256": self.sha256, "size": self.size}


@dataclass
class Snapshot:
    """A source's files, fetched to local disk, with their checksums."""

    origin: str
    local: dict[str, Path]
    entries: list[FileEntry]
    referenced_path: str | None = None  # set when the data stays in its datastore or URL
    is_folder: bool = False
    scratch: list[Path] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        if len(self.entries) == 1:
            return self.entries[0].sha256
        digest = hashlib.sha256()
        for entry in sorted(self.entries, key=lambda e: e.name):
            digest.update(f"{entry.name}\0{entry.sha256}\n".encode())
        return digest.hexdigest()

    @property
    def size(self) -> int:
        return sum(entry.size for entry in self.entries)

    def ordered_files(self) -> list[Path]:
        return [self.local[entry.name] for entry in self.entries]

    def cleanup(self) -> None:
        for path in self.scratch:
            shutil.rmtree(path, ignore_errors=True)


def _entries(local: dict[str, Path]) -> list[FileEntry]:
    return [FileEntry(name, sha256_file(path), path.stat().st_size) for name, path in sorted(local.items())]


def _is_glob(path: str) -> bool:
    return any(char in path for char in "*?[")


def snapshot_local(path: str, tabular: bool) -> Snapshot:
    """Files of a local file, folder or glob, read in place."""
    if _is_glob(path):
        matches = sorted(Path(p) for p in glob.glob(path, recursive=True) if Path(p).is_file())
        if not matches:
            raise InvalidInput(f"no file matches {path!r}")
        base = Path(path.split("*")[0]).parent if "/" in path else Path(".")
        local = {str(p.resolve().relative_to(base.resolve())): p.resolve() for p in matches}
    else:
        target = Path(path).expanduser()
        if not target.exists():
            raise InvalidInput(f"path {path!r} does not exist")
        if target.is_file():
            local = {target.name: target.resolve()}
        else:
            files = sorted(p for p in target.rglob("*") if p.is_file() and not p.name.startswith("."))
            if tabular:
                files = [p for p in files if p.suffix.lower() in TABULAR_SUFFIXES]
            if not files:
                raise InvalidInput(f"folder {path!r} holds no {'tabular ' if tabular else ''}files")
            local = {str(p.relative_to(target)): p.resolve() for p in files}
    return Snapshot(origin=path, local=local, entries=_entries(local), is_folder=_is_glob(path) or Path(path).is_dir())


def fetch_remote(fs: Any, root: str, names: list[str], cache_dir: Path) -> tuple[dict[str, Path], Path]:
    """Download ``root/<name>`` for each name into a fresh scratch folder of ``cache_dir``."""
    scratch = cache_dir / f"fetch-{uuid.uuid4().hex}"
    local: dict[str, Path] = {}
    try:
        for name in names:
            target = scratch / name
            target.parent.mkdir(parents=True, exist_ok=True)
            remote = f"{root}/{name}" if name else root
            fs.get_file(remote, str(target))
            local[name or Path(root).name] = target
    except FileNotFoundError:
        shutil.rmtree(scratch, ignore_errors=True)
        raise InvalidInput(f"{root}/{names[0] if names else ''} does not exist in the datastore") from None
    except InvalidInput:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    except Exception as error:
        shutil.rmtree(scratch, ignore_errors=True)
        raise Unreachable(f"cannot read {root}: {str(error).splitlines()[0] if str(error) else type(error).__name__}") from None
    return local, scratch


def snapshot_remote(fs: Any, root: str, path: str, tabular: bool, cache_dir: Path, origin: str) -> Snapshot:
    """Files of a path inside a datastore (file, folder or glob), downloaded to local scratch."""
    full = f"{root}/{path.lstrip('/')}" if path else root
    try:
        if _is_glob(full):
            found = sorted(fs.glob(full))
            base = full.split("*")[0].rsplit("/", 1)[0]
        elif fs.isdir(full):
            found = sorted(fs.find(full))
            base = full
        else:
            if not fs.exists(full):
                raise InvalidInput(f"{origin} does not exist")
            found, base = [full], full.rsplit("/", 1)[0]
    except InvalidInput:
        raise
    except Exception as error:
        raise Unreachable(f"cannot reach {origin}: {str(error).splitlines()[0] if str(error) else type(error).__name__}") from None
    names = [f[len(base):].lstrip("/") for f in found]
    names = [n for n in names if n and not Path(n).name.startswith(".")]
    if tabular:
        names = [n for n in names if Path(n).suffix.lower() in TABULAR_SUFFIXES]
    if not names:
        raise InvalidInput(f"{origin} holds no {'tabular ' if tabular else ''}files")
    local, scratch = fetch_remote(fs, base, names, cache_dir)
    single = len(found) == 1 and found[0] == full
    snapshot = Snapshot(origin=origin, local=local, entries=_entries(local), scratch=[scratch], is_folder=not single)
    snapshot.referenced_path = full if single else base
    return snapshot


def http_snapshot(url: str, cache_dir: Path, check: Callable[[str], None]) -> Snapshot:
    """The file at an http(s) URL (its query string kept), downloaded to local scratch; ``check`` sees the URL of
    every request, redirects included, and raises to refuse one."""
    import httpx

    from modelyard._urls import download

    scratch = cache_dir / f"fetch-{uuid.uuid4().hex}"
    scratch.mkdir(parents=True)
    try:
        target = download(url, scratch, check)
    except BaseException as error:
        shutil.rmtree(scratch, ignore_errors=True)
        if isinstance(error, httpx.HTTPStatusError) and error.response.status_code in (404, 410):
            raise InvalidInput(f"{url} does not exist (HTTP {error.response.status_code})") from None
        if isinstance(error, httpx.HTTPError):
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise Unreachable(f"cannot read {url}: {reason}") from None
        raise
    local = {target.name: target}
    snapshot = Snapshot(origin=url, local=local, entries=_entries(local), scratch=[scratch])
    snapshot.referenced_path = url
    return snapshot


def verify(snapshot: Snapshot, expected: list[dict[str, Any]], what: str) -> None:
    recorded = {entry["name"]: entry["sha256"] for entry in expected}
    for entry in snapshot.entries:
        if recorded.get(entry.name) != entry.sha256:
            snapshot.cleanup()
            raise InvalidInput(
                f"{what}: file {entry.name!r} changed since it was registered "
                f"(sha256 {entry.sha256[:12]}… instead of {str(recorded.get(entry.name))[:12]}…); "
                "register a new version"
            )


def blob_prefix(content_hash: str) -> str:
    return f"data/{content_hash}"


def stored_uri(content_hash: str, single_file: str | None) -> str:
    prefix = blob_prefix(content_hash)
    return datastore_uri(DEFAULT_DATASTORE, f"{prefix}/{single_file}" if single_file else prefix)
