"""Immutable integer versions: the next free one, safe against concurrent writers."""

from __future__ import annotations

import time
from typing import Any, Callable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from modelyard.errors import Conflict
from modelyard.services._context import ServiceContext

RETRIES = 50


def insert_version(context: ServiceContext, table: type, name: str, version: int | None, what: str,
                   build: Callable[[int], dict[str, Any]]) -> Any:
    """Insert ``table(name=..., version=..., **build(version))``; the next free version unless one is given.

    Concurrent writers that pick the same number collide on the (name, version) unique constraint
    and try the next one; an explicit version that exists is a Conflict.
    """
    for _ in range(RETRIES):
        try:
            with context.session() as session:
                number = version or (session.scalar(select(func.max(table.version)).where(table.name == name)) or 0) + 1
                row = table(name=name, version=number, **build(number))
                session.add(row)
            return row
        except IntegrityError:
            if version:
                raise Conflict(f"{what} {name}:{version} exists already; versions are immutable") from None
            time.sleep(0.01)
    raise Conflict(f"could not allocate a version of {what} {name!r}: too many concurrent writers")
