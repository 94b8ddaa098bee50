"""Files and folders only their owner may read: the workspace folder, its database, its artifacts."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def tighten(path: Path) -> None:
    """Take group and other permissions off ``path`` if it exists; never adds a permission. A symbolic
    link is left alone: where it points is the user's choice."""
    try:
        status = path.lstat()
        mode = stat.S_IMODE(status.st_mode)
        if not stat.S_ISLNK(status.st_mode) and mode & 0o077:
            path.chmod(mode & ~0o077)
    except FileNotFoundError:
        pass
    except PermissionError:
        pass  # owned by someone else: theirs to decide


def private_folder(path: Path) -> Path:
    """``path`` created (with its parents) if missing, readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    tighten(path)
    return path


def private_file(path: Path) -> Path:
    """``path`` created empty if missing, readable by its owner only; its content is left as it is."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        tighten(path)
    return path


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL; None for other databases and in-memory ones."""
    if not url.startswith("sqlite"):
        return None
    from sqlalchemy.engine import make_url

    database = make_url(url).database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def private_sqlite(url: str, create: bool = True) -> None:
    """Tighten a SQLite URL's database file with its write-ahead log and shared-memory files; with
    ``create``, first create it owner-only if missing (SQLite itself would follow the umask)."""
    path = sqlite_file(url)
    if path is None or not path.parent.is_dir():
        return
    if create:
        private_file(path)
    tighten(path)
    for suffix in ("-wal", "-shm", "-journal"):
        tighten(path.with_name(path.name + suffix))
