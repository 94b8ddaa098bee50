"""What online and batch endpoints share: how their rows are found and named when missing, and the deployment
verbs both services have, with the same arguments in the same order: ``(endpoint, name)``, the REST path's order.

Each service adds ``update_deployment`` and ``delete_deployment`` (their rules differ: traffic, the default
deployment) and its own ``_write_deployment``, ``_deployment_row``, ``_deployment_rows`` and ``_deployment``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from modelyard.services._context import ServiceContext
from modelyard.services._rows import get_one


@dataclass(frozen=True)
class EndpointKind:
    prefix: str  # "online" or "batch", as in the commands' names
    endpoint_row: Any
    deployment_row: Any

    def endpoint(self, name: str) -> Select:
        return select(self.endpoint_row).where(self.endpoint_row.name == name)

    def deployment(self, endpoint: str, name: str) -> Select:
        return select(self.deployment_row).where(self.deployment_row.endpoint == endpoint,
                                                 self.deployment_row.name == name)

    def missing(self, name: str) -> str:
        return f"{self.prefix} endpoint '{name}' not found; 'modelyard {self.prefix}-endpoint list' shows them"

    def missing_deployment(self, endpoint: str, name: str) -> str:
        return (f"{self.prefix} endpoint '{endpoint}' has no deployment '{name}'; "
                f"'modelyard {self.prefix}-deployment list --endpoint-name {endpoint}' shows them")


class DeploymentVerbs:
    """``create_deployment``, ``create_or_update_deployment``, ``get_deployment``, ``list_deployments``."""

    context: ServiceContext
    kind: EndpointKind

    def create_deployment(self, spec: Any) -> Any:
        """Create the deployment; one of that name already there is a conflict."""
        return self._write_deployment(spec, replace=False)[0]

    def create_or_update_deployment(self, spec: Any) -> tuple[Any, bool]:
        """Create the deployment, or replace the whole spec of the one of that name; whether it was created."""
        return self._write_deployment(spec, replace=True)

    def get_deployment(self, endpoint: str, name: str) -> Any:
        return self._deployment(self._deployment_row(endpoint, name))

    def list_deployments(self, endpoint: str) -> list[Any]:
        self._row(endpoint)
        return [self._deployment(row) for row in self._deployment_rows(endpoint)]

    def _row(self, name: str) -> Any:
        return get_one(self.context, self.kind.endpoint(name), self.kind.missing(name))
