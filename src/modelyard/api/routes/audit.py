"""The audit trail over REST: list its records, verify its chain."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from modelyard.api._deps import context
from modelyard.services._context import ServiceContext
from modelyard.services.audit import MAX_LIST, AuditService
from modelyard.spec.audit import AuditRecord, AuditVerification

router = APIRouter(prefix="/api/audit", tags=["audit"])


def service(ctx: ServiceContext = Depends(context)) -> AuditService:
    return AuditService(ctx)


@router.get("", operation_id="listAuditRecords", response_model=list[AuditRecord])
def list_(since: str | None = Query(None, description="30m, 12h, 7d, 2w, or an ISO date or time"),
          noun: str | None = None, who: str | None = None, limit: int = Query(100, ge=1, le=MAX_LIST),
          audit: AuditService = Depends(service)) -> list[AuditRecord]:
    return audit.list(since=since, noun=noun, who=who, limit=limit)


@router.get("/verify", operation_id="verifyAuditTrail", response_model=AuditVerification)
def verify(audit: AuditService = Depends(service)) -> AuditVerification:
    return audit.verify()
