"""Online endpoints and deployments: keys, traffic, lifecycle. Every rule about them lives here.

The scoring processes themselves are run by the server's supervisor (runtime/_serving.py),
which follows the deployments' desired state recorded here.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from modelyard.errors import Conflict, InvalidInput, NotFound
from modelyard.services import _secrets
from modelyard.services._context import ServiceContext
from modelyard.services._deployments import DeploymentVerbs, EndpointKind
from modelyard.services._rows import one_or_not_found
from modelyard.services.compute import as_utc
from modelyard.services.environments import EnvironmentService
from modelyard.services.events import emit
from modelyard.services.models import ModelService
from modelyard.spec.endpoint import (
    DataCollector, EndpointKeys, InstanceState, OnlineDeployment, OnlineDeploymentCreate, OnlineDeploymentUpdate, OnlineEndpoint,
    OnlineEndpointCreate, OnlineEndpointUpdate, RequestSettings,
)
from modelyard.store import DeploymentRow, EndpointRow

TOKEN_SECONDS = 3600


def check_traffic(traffic: dict[str, int], deployments: set[str], field: str = "traffic") -> None:
    unknown = sorted(set(traffic) - deployments)
    if unknown:
        raise InvalidInput(f"{field}: no deployment named {', '.join(unknown)} "
                           f"(deployments: {', '.join(sorted(deployments)) or 'none'})")
    if any(weight < 0 or weight > 100 for weight in traffic.values()):
        raise InvalidInput(f"{field}: weights are percentages from 0 to 100")
    total = sum(traffic.values())
    if field == "traffic" and traffic and total not in (0, 100):
        raise InvalidInput(f"{field}: weights must add up to 100, they add up to {total}")


@dataclass(frozen=True)
class DesiredDeployment:
    """A deployment as the supervisor of scoring processes follows it: which generation should run, and how."""

    endpoint: str
    name: str
    generation: int
    state: str
    model_name: str
    model_version: int
    spec: dict[str, Any]


class EndpointService(DeploymentVerbs):
    kind = EndpointKind("online", EndpointRow, DeploymentRow)

    def __init__(self, context: ServiceContext, instances=None) -> None:
        self.context = context
        self.instances = instances or (lambda endpoint, deployment: [])  # the supervisor's live view

    # -- endpoints ----------------------------------------------------------------------
    def create(self, spec: OnlineEndpointCreate) -> OnlineEndpoint:
        check_traffic(spec.traffic, set(), "traffic")
        check_traffic(spec.mirror_traffic, set(), "mirror_traffic")
        folder = self.context.location.folder
        keys = {"primary": _secrets.encrypt(folder, secrets.token_urlsafe(32)),
                "secondary": _secrets.encrypt(folder, secrets.token_urlsafe(32))}
        with self.context.session() as session:
            if session.scalar(select(EndpointRow.id).where(EndpointRow.name == spec.name)):
                raise Conflict(f"online endpoint '{spec.name}' exists already")
            session.add(EndpointRow(name=spec.name, description=spec.description, auth_mode=spec.auth_mode,
                                    keys=keys, tags=spec.tags, traffic={}, mirror_traffic={}))
        return self.get(spec.name)

    def get(self, name: str) -> OnlineEndpoint:
        return self._record(self._row(name))

    def list(self) -> list[OnlineEndpoint]:
        with self.context.session() as session:
            rows = list(session.scalars(select(EndpointRow).order_by(EndpointRow.name)))
        return [self._record(row) for row in rows]

    def update(self, name: str, change: OnlineEndpointUpdate) -> OnlineEndpoint:
        deployments = {d.name for d in self._deployment_rows(name)}
        with self.context.session() as session:
            row = one_or_not_found(session, self.kind.endpoint(name), self.kind.missing(name))
            if change.traffic is not None:
                check_traffic(change.traffic, deployments, "traffic")
                row.traffic = change.traffic
            if change.mirror_traffic is not None:
                check_traffic(change.mirror_traffic, deployments, "mirror_traffic")
                row.mirror_traffic = change.mirror_traffic
            for field in ("description", "tags"):
                if getattr(change, field) is not None:
                    setattr(row, field, getattr(change, field))
            if change.traffic is not None or change.mirror_traffic is not None:
                self._announce_traffic(session, row)
        return self.get(name)

    def delete(self, name: str) -> None:
        with self.context.session() as session:
            row = one_or_not_found(session, self.kind.endpoint(name), self.kind.missing(name))
            for deployment in session.scalars(select(DeploymentRow).where(DeploymentRow.endpoint == name)):
                deployment.state = "Deleting"
            session.delete(row)

    # -- keys -----------------------------------------------------------------------------
    def credentials(self, name: str) -> EndpointKeys:
        row = self._row(name)
        folder = self.context.location.folder
        if row.auth_mode == "key":
            return EndpointKeys(primary_key=_secrets.decrypt(folder, row.keys["primary"]),
                                secondary_key=_secrets.decrypt(folder, row.keys["secondary"]))
        if row.auth_mode == "token":
            return EndpointKeys(access_token=_secrets.sign_token(folder, f"endpoint:{name}", TOKEN_SECONDS)[0])
        return EndpointKeys()

    def regenerate_keys(self, name: str, key_type: str = "primary") -> EndpointKeys:
        if key_type not in ("primary", "secondary"):
            raise InvalidInput(f"key_type must be primary or secondary, got {key_type!r}")
        with self.context.session() as session:
            row = one_or_not_found(session, self.kind.endpoint(name), self.kind.missing(name))
            if row.auth_mode != "key":
                raise InvalidInput(f"online endpoint '{name}' uses {row.auth_mode} auth; it has no keys")
            row.keys = {**row.keys, key_type: _secrets.encrypt(self.context.location.folder, secrets.token_urlsafe(32))}
        return self.credentials(name)

    # -- deployments: create, create_or_update, get and list are DeploymentVerbs' --------------------
    def update_deployment(self, endpoint: str, name: str, change: OnlineDeploymentUpdate) -> OnlineDeployment:
        model = model_to_deploy(self.context, change.model) if change.model else None
        with self.context.session() as session:
            row = self._locked_deployment(session, endpoint, name)
            spec = dict(row.spec)
            if change.instance_count is not None:
                spec["instance_count"] = change.instance_count
            if change.request_settings is not None:
                spec["request_settings"] = change.request_settings.model_dump(mode="json")
            if change.data_collector is not None:
                spec["data_collector"] = change.data_collector.model_dump(mode="json")
            if change.explain is not None:
                spec["explain"] = change.explain
            if model is not None:
                spec["model"] = f"{model.name}:{model.version}"
                row.model_name, row.model_version = model.name, model.version
            row.spec, row.generation, row.state, row.error = spec, row.generation + 1, "Updating", None
            self._announce(session, row, "deployment.updated")
        return self.get_deployment(endpoint, name)

    def delete_deployment(self, endpoint: str, name: str) -> None:
        traffic = self._row(endpoint).traffic
        if traffic.get(name, 0) > 0:
            raise Conflict(f"deployment '{name}' still takes {traffic[name]}% of '{endpoint}''s traffic; "
                           "move its traffic to another deployment first")
        with self.context.session() as session:
            self._locked_deployment(session, endpoint, name).state = "Deleting"

    def deployment_logs(self, endpoint: str, name: str, lines: int = 200) -> str:
        self.get_deployment(endpoint, name)
        folder = self.context.location.folder / "deployments" / endpoint / name
        logs = sorted(folder.glob("**/*.log"), key=lambda p: p.stat().st_mtime)
        text = "\n".join(f"==> {p.relative_to(folder)} <==\n" + "\n".join(
            p.read_text(errors="replace").splitlines()[-lines:]) for p in logs[-4:])
        return text

    def model_deployments(self, model_name: str, model_version: int) -> list[OnlineDeployment]:
        """The deployments serving model ``model_name:model_version`` (the end of its lineage)."""
        with self.context.session() as session:
            rows = list(session.scalars(select(DeploymentRow).where(
                DeploymentRow.model_name == model_name, DeploymentRow.model_version == model_version,
                DeploymentRow.state != "Deleting").order_by(DeploymentRow.endpoint, DeploymentRow.name)))
        return [self._deployment(row) for row in rows]

    # -- the supervisor's side (runtime/_serving.py): what should run, and how it went -----------
    def desired_deployments(self) -> list[DesiredDeployment]:
        """Every deployment as recorded, those being deleted too."""
        with self.context.session() as session:
            rows = list(session.scalars(select(DeploymentRow)))
        return [DesiredDeployment(row.endpoint, row.name, row.generation, row.state, row.model_name, row.model_version,
                                  dict(row.spec)) for row in rows]

    def set_deployment_state(self, deployment: DesiredDeployment, state: str, error: str | None) -> None:
        """Record how ``deployment`` went, unless it has been changed (a new generation) or removed since."""
        with self.context.session() as session:
            row = session.scalar(self.kind.deployment(deployment.endpoint, deployment.name))
            if row is not None and row.generation == deployment.generation and (row.state, row.error) != (state, error):
                row.state, row.error = state, error

    def forget_deployment(self, deployment: DesiredDeployment) -> None:
        """Remove a deleted deployment's row once its processes have stopped."""
        with self.context.session() as session:
            row = session.scalar(self.kind.deployment(deployment.endpoint, deployment.name))
            if row is not None and row.state == "Deleting":
                session.delete(row)

    # -- records ------------------------------------------------------------------------
    def _write_deployment(self, spec: OnlineDeploymentCreate, replace: bool) -> tuple[OnlineDeployment, bool]:
        self._row(spec.endpoint_name)
        model = model_to_deploy(self.context, spec.model)
        if spec.code_configuration is not None:
            from modelyard.services.jobs import JobService

            JobService(self.context).check_snapshot(spec.code_configuration.code, "code_configuration.code")
        document = spec.model_dump(mode="json", by_alias=True, exclude={"schema_"})
        document["environment"] = EnvironmentService(self.context).for_deployment(spec.environment, "environment")
        with self.context.session() as session:
            row = session.scalar(self.kind.deployment(spec.endpoint_name, spec.name))
            created = row is None
            if created:
                row = DeploymentRow(endpoint=spec.endpoint_name, name=spec.name, generation=0)
                session.add(row)
            elif row.state == "Deleting":
                raise Conflict(f"deployment '{spec.name}' of online endpoint '{spec.endpoint_name}' is being deleted; "
                               "create it again once 'online-deployment list' no longer shows it")
            elif not replace:
                raise Conflict(f"deployment '{spec.name}' of online endpoint '{spec.endpoint_name}' exists already; "
                               "use 'online-deployment update'")
            row.model_name, row.model_version, row.spec = model.name, model.version, document
            row.generation, row.state, row.error = row.generation + 1, "Creating" if created else "Updating", None
            endpoint = session.scalar(self.kind.endpoint(spec.endpoint_name))
            self._announce(session, row, "deployment.created" if created else "deployment.updated")
            if created and not endpoint.traffic:  # the first deployment takes all traffic
                endpoint.traffic = {spec.name: 100}
                self._announce_traffic(session, endpoint)
        return self.get_deployment(spec.endpoint_name, spec.name), created

    @staticmethod
    def _announce(session, row: DeploymentRow, type: str) -> None:
        emit(session, type, f"{row.endpoint}/{row.name}", {
            "endpoint": row.endpoint, "deployment": row.name, "model": f"{row.model_name}:{row.model_version}",
            "instance_count": row.spec.get("instance_count"), "generation": row.generation})

    @staticmethod
    def _announce_traffic(session, row: EndpointRow) -> None:
        emit(session, "deployment.traffic_changed", row.name, {
            "endpoint": row.name, "traffic": row.traffic, "mirror_traffic": row.mirror_traffic})

    def _deployment_row(self, endpoint: str, name: str) -> DeploymentRow:
        with self.context.session() as session:
            return self._locked_deployment(session, endpoint, name)

    def _locked_deployment(self, session, endpoint: str, name: str) -> DeploymentRow:
        one_or_not_found(session, self.kind.endpoint(endpoint), self.kind.missing(endpoint))
        row = one_or_not_found(session, self.kind.deployment(endpoint, name),
                               self.kind.missing_deployment(endpoint, name))
        if row.state == "Deleting":
            raise NotFound(self.kind.missing_deployment(endpoint, name))
        return row

    def _deployment_rows(self, endpoint: str) -> list[DeploymentRow]:
        with self.context.session() as session:
            return list(session.scalars(select(DeploymentRow).where(DeploymentRow.endpoint == endpoint,
                                                                    DeploymentRow.state != "Deleting")
                                        .order_by(DeploymentRow.name)))

    def _deployment(self, row: DeploymentRow) -> OnlineDeployment:
        return OnlineDeployment(
            name=row.name, endpoint_name=row.endpoint, model=row.model_name, model_version=row.model_version,
            instance_count=row.spec.get("instance_count", 1),
            request_settings=RequestSettings.model_validate(row.spec.get("request_settings") or {}),
            state=row.state, error=row.error,
            instances=[InstanceState.model_validate(i) for i in self.instances(row.endpoint, row.name)],
            data_collector=row.spec.get("data_collector"), explain=bool(row.spec.get("explain")),
            environment=environment if isinstance(environment := row.spec.get("environment"), str) else None,
            created_at=as_utc(row.created_at))

    def _record(self, row: EndpointRow) -> OnlineEndpoint:
        return OnlineEndpoint(
            name=row.name, description=row.description, auth_mode=row.auth_mode, tags=row.tags or {},
            traffic=row.traffic or {}, mirror_traffic=row.mirror_traffic or {},
            scoring_uri=f"/api/v1/service/{row.name}/score", swagger_uri=f"/api/v1/service/{row.name}/swagger.json",
            deployments=[self._deployment(d) for d in self._deployment_rows(row.name)],
            created_at=as_utc(row.created_at))



def endpoint_table(context: ServiceContext) -> dict[str, dict[str, Any]]:
    """What the scoring router needs per endpoint: auth mode, keys in clear (bytes), traffic."""
    folder = context.location.folder
    table: dict[str, dict[str, Any]] = {}
    with context.session() as session:
        for row in session.scalars(select(EndpointRow)):
            keys = [_secrets.decrypt(folder, row.keys[k]).encode() for k in ("primary", "secondary")] \
                if row.auth_mode == "key" else []
            table[row.name] = {"auth_mode": row.auth_mode, "keys": keys, "traffic": dict(row.traffic or {}),
                               "mirror_traffic": dict(row.mirror_traffic or {})}
    return table


def model_to_deploy(context: ServiceContext, reference: str):
    """The registered model version a deployment names; an unknown one is a bad deployment (400)."""
    try:
        return ModelService(context).get(reference)
    except (NotFound, InvalidInput) as error:
        raise InvalidInput(f"model: {error.message}") from None
