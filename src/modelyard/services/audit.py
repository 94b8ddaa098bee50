"""The audit trail: an append-only, hash-chained record of every mutating API call.

Each record holds the previous record's hash (``prev_hash``) and its own, SHA-256 over its
canonical JSON (sorted keys, no spaces, UTF-8), so an edited record no longer matches its hash and
a removed one breaks the chain; ``verify`` names either. Appends are serialised by the database
(SQLite's write lock taken up front, a PostgreSQL advisory lock), never by a Python lock only, so
several server processes sharing one database keep one linear chain; the unique ``prev_hash``
refuses a fork should anything slip past.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from modelyard.errors import InvalidInput
from modelyard.services._context import ServiceContext
from modelyard.services.compute import as_utc
from modelyard.spec.audit import AuditProblem, AuditRecord, AuditVerification
from modelyard.store import AuditRecordRow, unsynced_commits

GENESIS = "0" * 64  # the first record's prev_hash
CHAIN_LOCK_KEY = 0x6D79617564  # PostgreSQL advisory lock id for appends
APPEND_ATTEMPTS = 5
MAX_LIST = 10_000
RELATIVE = re.compile(r"(\d+)\s*([smhdw])")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
TABLE = AuditRecordRow.__table__


def record_hash(record: dict[str, Any]) -> str:
    """SHA-256 of the record's canonical JSON: every field but ``hash``, the time as UTC ISO 8601."""
    content = {key: value for key, value in record.items() if key != "hash"}
    content["at"] = as_utc(content["at"]).astimezone(timezone.utc).isoformat(timespec="microseconds")
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``30m``, ``12h``, ``7d``, ``2w`` (that long ago), or an ISO date or time (UTC unless it says)."""
    match = RELATIVE.fullmatch(text.strip())
    if match:
        return (now or datetime.now(timezone.utc)) - timedelta(**{UNITS[match[2]]: int(match[1])})
    try:
        return as_utc(datetime.fromisoformat(text.strip()))
    except ValueError:
        raise InvalidInput(f"since: {text!r} is neither a duration nor a date; use e.g. 30m, 12h, 7d, 2w, "
                           f"2026-12-01 or 2026-12-01T09:30") from None


class AuditService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def append(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Add ``entry`` (every field but seq, prev_hash and hash) at the end of the chain; the record written."""
        for attempt in range(APPEND_ATTEMPTS):
            try:
                with self.context.engine.connect() as connection, unsynced_commits(connection):
                    _lock_chain(connection)
                    last = connection.execute(select(TABLE.c.seq, TABLE.c.hash)
                                              .order_by(TABLE.c.seq.desc()).limit(1)).first()
                    record = {**entry, "seq": last.seq + 1 if last else 1, "prev_hash": last.hash if last else GENESIS}
                    record["hash"] = record_hash(record)
                    connection.execute(insert(TABLE), [record])
                    connection.commit()
                    return record
            except IntegrityError:  # another process appended on the same link first: take the new end
                if attempt == APPEND_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def list(self, since: str | None = None, noun: str | None = None, who: str | None = None,
             limit: int = 100) -> list[AuditRecord]:
        """The newest records first, at most ``limit``."""
        if not 1 <= limit <= MAX_LIST:
            raise InvalidInput(f"limit must be between 1 and {MAX_LIST}, got {limit}")
        query = select(AuditRecordRow).order_by(AuditRecordRow.seq.desc()).limit(limit)
        if since:
            query = query.where(AuditRecordRow.at >= parse_since(since))
        if noun:
            query = query.where(AuditRecordRow.noun == noun)
        if who:
            query = query.where(AuditRecordRow.who == who)
        with self.context.session() as session:
            return [AuditRecord.model_validate(row) for row in session.scalars(query)]

    def verify(self) -> AuditVerification:
        """Walk the chain from its first record: name each record removed, edited, or no longer linked."""
        problems: list[AuditProblem] = []
        expected_seq, expected_prev, count = 1, GENESIS, 0
        with self.context.engine.connect() as connection:
            rows = connection.execution_options(yield_per=1000).execute(select(TABLE).order_by(TABLE.c.seq))
            for row in rows.mappings():
                record = dict(row)
                problems += _problems(record, expected_seq, expected_prev)
                count, expected_seq, expected_prev = count + 1, record["seq"] + 1, record["hash"]
        return AuditVerification(ok=not problems, records=count, head=None if count == 0 else expected_prev,
                                 problems=problems)


def _problems(record: dict[str, Any], expected_seq: int, expected_prev: str) -> list[AuditProblem]:
    """What is wrong with ``record``, coming where record ``expected_seq`` linked to ``expected_prev`` should."""
    seq, found = record["seq"], []
    if seq != expected_seq:
        missing = f"record {expected_seq}" if seq == expected_seq + 1 else f"records {expected_seq} to {seq - 1}"
        found.append(AuditProblem(seq=expected_seq, problem=f"{missing} removed (record {seq} follows "
                                                            f"{expected_seq - 1 or 'the start'})"))
    if record_hash(record) != record["hash"]:
        found.append(AuditProblem(seq=seq, problem=f"record {seq} edited: its content no longer matches its hash"))
    if record["prev_hash"] != expected_prev and seq == expected_seq:
        found.append(AuditProblem(seq=seq - 1, problem=(
            f"record {seq - 1} edited or replaced: record {seq} links to a different hash" if seq > 1
            else "record 1 does not start the chain (records before it removed)")))
    return found


def _lock_chain(connection: Connection) -> None:
    """Hold the chain's end until this transaction commits, across processes."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK_KEY})")
