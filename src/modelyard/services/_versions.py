"""Immutable integer versions: the next free one, safe against concurrent writers."""

from __future__ import annotations

import hashlib
import time
from typing import Any, Callable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modelyard.errors import Conflict
from modelyard.services._context import ServiceContext

RETRIES = 50


def lock_name(session: Session, what: str, name: str) -> None:
    """Serialise the writers of ``what`` ``name`` until the session's transaction ends: the write
    lock of SQLite (the whole database; held briefly), an advisory lock on the name in PostgreSQL.
    Must be the session's first statement."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"{what}\0{name}".encode()).digest()[:8], "big", signed=True)
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({key})")


def insert_version(context: ServiceContext, table: type, name: str, version: int | None, what: str,
                   build: Callable[[int], dict[str, Any]],
                   existing: Callable[[Session], Any] | None = None,
                   created: Callable[[Session, Any], None] | None = None) -> Any:
    """Insert ``table(name=..., version=..., **build(version))``; the next free version unless one is given.

    Concurrent writers that pick the same number collide on the (name, version) unique constraint
    and try the next one; an explicit version that exists is a Conflict. With ``existing``, the
    name is locked first and a row it finds is returned instead of inserting (a check and an
    insert that concurrent writers cannot interleave). ``created(session, row)`` runs in the insert's
    transaction (to emit its event).
    """
    for _ in range(RETRIES):
        try:
            with context.session() as session:
                if existing is not None:
                    lock_name(session, what, name)
                    found = existing(session)
                    if found is not None:
                        return found
                number = version or (session.scalar(select(func.max(table.version)).where(table.name == name)) or 0) + 1
                row = table(name=name, version=number, **build(number))
                session.add(row)
                if created is not None:
                    session.flush()
                    created(session, row)
            return row
        except IntegrityError:
            if version:
                raise Conflict(f"{what} {name}:{version} exists already; versions are immutable") from None
            time.sleep(0.01)
    raise Conflict(f"could not allocate a version of {what} {name!r}: too many concurrent writers")
