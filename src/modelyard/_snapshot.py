"""Code and local-input snapshots: deterministic tar.gz archives, content-addressed by sha256.

Packing honours .gitignore and .amlignore (gitignore syntax) and always leaves out .git,
.modelyard and __pycache__. Unpacking refuses members that would land outside the target.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from pathlib import Path

from modelyard.errors import InvalidInput

ALWAYS_IGNORED = (".git/", ".modelyard/", "__pycache__/", "*.pyc", ".venv/")
PREFIX = "snapshot:"


def _ignore_spec(folder: Path):
    import pathspec

    lines = list(ALWAYS_IGNORED)
    for name in (".gitignore", ".amlignore"):
        if (folder / name).is_file():
            lines += (folder / name).read_text(encoding="utf-8", errors="replace").splitlines()
    return pathspec.PathSpec.from_lines("gitignore", lines)


def files_to_pack(source: Path) -> list[tuple[str, Path]]:
    if source.is_file():
        return [(source.name, source)]
    if not source.is_dir():
        raise InvalidInput(f"{source} does not exist")
    spec = _ignore_spec(source)
    found = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source).as_posix()
        if path.is_file() and not spec.match_file(relative) and not any(
                spec.match_file(parent.as_posix() + "/") for parent in Path(relative).parents if str(parent) != "."):
            found.append((relative, path))
    return found


def pack(source: Path) -> bytes:
    """A reproducible archive of a file or folder: same content, same bytes, same hash."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as zipped:
        with tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as archive:
            for relative, path in files_to_pack(source):
                info = tarfile.TarInfo(relative)
                info.size = path.stat().st_size
                info.mode = 0o755 if path.stat().st_mode & 0o111 else 0o644
                with path.open("rb") as handle:
                    archive.addfile(info, handle)
    return buffer.getvalue()


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def unpack(archive_path: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    with tarfile.open(archive_path, mode="r:gz") as archive:
        for member in archive.getmembers():
            destination = (root / member.name).resolve()
            if not member.isfile() or root not in destination.parents:
                raise InvalidInput(f"snapshot member {member.name!r} is not a plain file inside the snapshot")
        archive.extractall(root, filter="data")
