"""SDK for the audit trail: ``ws.audit.list(since="7d", noun="model")``, ``ws.audit.verify()``."""

from __future__ import annotations

from modelyard.client._http import ApiClient
from modelyard.spec.audit import AuditRecord, AuditVerification


class AuditOperations:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    def list(self, since: str | None = None, noun: str | None = None, who: str | None = None,
             limit: int = 100) -> list[AuditRecord]:
        """The newest records first; ``since`` is ``30m``, ``12h``, ``7d``, ``2w`` or an ISO date or time."""
        query = {key: value for key, value in dict(since=since, noun=noun, who=who, limit=limit).items()
                 if value is not None}
        return [AuditRecord.model_validate(record) for record in self._api.get("/api/audit", params=query)]

    def verify(self) -> AuditVerification:
        """Walk the hash chain: ``ok`` is False and ``problems`` names each removed or edited record."""
        return AuditVerification.model_validate(self._api.get("/api/audit/verify"))
