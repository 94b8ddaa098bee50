"""The audit trail's shapes: one record per mutating API call, and what verifying the chain found."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from modelyard.spec._common import Record

REASON_HEADER = "X-Modelyard-Reason"  # percent-encoded UTF-8; plain ASCII passes unchanged
MAX_REASON = 1000
UtcTime = Annotated[datetime, AfterValidator(lambda moment: moment if moment.tzinfo else
                                             moment.replace(tzinfo=timezone.utc))]


class AuditRecord(Record):
    seq: int = Field(description="position in the chain, from 1")
    at: UtcTime
    who: str = Field(description="the token's identity, or the local OS user on an open loopback server")
    client: str | None = Field(None, description="the caller's address")
    noun: str
    verb: str
    name: str | None = None
    version: str | None = None
    method: str
    path: str
    status: int = Field(description="the HTTP status the call was answered with")
    reason: str | None = None
    diff: list[dict[str, Any]] = Field(default_factory=list, description=(
        "each changed store row: table, op (insert/update/delete), row (its key) and, for changed fields, "
        "before and after; secrets masked"))
    prev_hash: str
    hash: str


class AuditProblem(Record):
    seq: int = Field(description="the record concerned (for removed records, the first one missing)")
    problem: str


class AuditVerification(Record):
    ok: bool
    records: int = Field(description="records checked")
    head: str | None = Field(None, description="the last record's hash")
    problems: list[AuditProblem] = Field(default_factory=list)
