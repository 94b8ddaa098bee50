"""The store rows one API call changes, collected as its sessions flush them: its audit record's diff.

The API wraps each mutating call in ``collecting()``; every session of the context, watched with
``watch()``, adds what it inserts, updates and deletes to the list of the call it runs for (the list
travels in a context variable, which FastAPI copies into the worker thread of a sync route). Writes
of the server's engines run outside any call and are not collected.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Iterator

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from modelyard._json import plain

MASK = "***"
LONGEST_VALUE = 512  # characters of JSON; a longer value (a profile, a file list) is named by its size and hash
SECRET_NAME = re.compile(r"secret|passw|token|credential|access_key|account_key|api_key|private_key|primary_key|"
                         r"secondary_key|connection_string|(^|_)sas($|_)|^keys$|^authorization$", re.IGNORECASE)
URL_PASSWORD = re.compile(r"(?<=://)[^/@\s:]+:[^/@\s]+@")
ROW_KEYS = ("endpoint", "name", "alias", "version")

_changes: ContextVar[list[dict[str, Any]] | None] = ContextVar("modelyard_audit_changes", default=None)


@contextmanager
def collecting() -> Iterator[list[dict[str, Any]]]:
    """The changes the sessions flush meanwhile, in this context (and the threads it is copied into)."""
    changes: list[dict[str, Any]] = []
    token = _changes.set(changes)
    try:
        yield changes
    finally:
        _changes.reset(token)


def watch(sessions: sessionmaker[Session]) -> None:
    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "do_orm_execute", _bulk_write)


def masked(value: Any, name: str | None = None) -> Any:
    """``value`` as plain JSON with every secret replaced by ``***``: values of fields named like keys,
    tokens, passwords and credentials (at any depth), and passwords inside URLs."""
    if name is not None and SECRET_NAME.search(name) and value not in (None, "", {}, []):
        return MASK
    if isinstance(value, dict):
        return {str(key): masked(item, str(key)) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    if isinstance(value, str):
        return URL_PASSWORD.sub(f"{MASK}@", value)
    return value


def _before_flush(session: Session, _context, _instances) -> None:
    changes = _changes.get()
    if changes is None:
        return
    with _never_failing(changes):
        changes += [_inserted(row) for row in session.new]
        changes += [change for row in session.dirty if session.is_modified(row) and (change := _updated(row))]
        changes += [{"table": _table(row), "op": "delete", "row": _key(row)} for row in session.deleted]


def _bulk_write(state) -> None:
    """``update()`` / ``delete()`` statements: the table and the statement's values, not row by row."""
    changes = _changes.get()
    if changes is None or not (state.is_update or state.is_delete):
        return
    with _never_failing(changes):
        changes.append({"table": state.statement.table.name, "op": "update" if state.is_update else "delete",
                        "values": _value(dict(state.statement.compile().params))})


@contextmanager
def _never_failing(changes: list[dict[str, Any]]) -> Iterator[None]:
    """Describing a change must not fail the write: the record then says its diff is incomplete."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - whatever a column holds
        logging.getLogger("modelyard.audit").exception("could not describe a change for the audit trail")
        changes.append({"op": "unknown", "error": f"change not described: {type(error).__name__}: {error}"[:500]})


def _inserted(row: Any) -> dict[str, Any]:
    state = inspect(row)
    fields = {attribute.key: _value(getattr(row, attribute.key), attribute.key)
              for attribute in state.mapper.column_attrs
              if attribute.key != "id" and getattr(row, attribute.key) is not None}
    return {"table": _table(row), "op": "insert", "row": _key(row), "after": fields}


def _updated(row: Any) -> dict[str, Any] | None:
    state = inspect(row)
    before, after = {}, {}
    for attribute in state.mapper.column_attrs:
        history = state.attrs[attribute.key].history
        if not history.added and not history.deleted:
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        before[attribute.key] = _value(old, attribute.key)
        after[attribute.key] = _value(new, attribute.key)
    if not after:
        return None
    return {"table": _table(row), "op": "update", "row": _key(row), "before": before, "after": after}


def _table(row: Any) -> str:
    return inspect(row).mapper.local_table.name


def _key(row: Any) -> dict[str, Any]:
    """What names the row to a reader: its name (and endpoint, version...), else its id."""
    columns = inspect(row).mapper.columns.keys()
    key = {name: plain(getattr(row, name)) for name in ROW_KEYS if name in columns and getattr(row, name) is not None}
    return key or {"id": getattr(row, "id", None)}


def _value(value: Any, name: str | None = None) -> Any:
    value = masked(plain(value), name)
    text = json.dumps(value, sort_keys=True, default=str)
    if len(text) <= LONGEST_VALUE:
        return json.loads(text)  # keys as text and tuples as lists: what the stored JSON reads back as
    return f"<{len(text)} characters, sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}>"
