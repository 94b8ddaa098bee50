"""Pipeline endpoints: a Designer draft (training or batch inference) published behind a REST route that
starts a run with parameter values (its dataset nodes' assets), authenticated by the endpoint's own keys
as online endpoints are. Each publish is a version; runs without a version use the default one."""

from __future__ import annotations

import hmac
import secrets

from sqlalchemy import delete, func, select

from modelyard.errors import Conflict, InvalidInput, NotFound, Unauthorized
from modelyard.services import _secrets
from modelyard.services._context import ServiceContext
from modelyard.services._rows import one_or_not_found
from modelyard.services.compute import as_utc
from modelyard.services.designer_drafts import DesignerDraftService
from modelyard.spec._common import AssetRef
from modelyard.spec.designer_draft import DraftSubmit
from modelyard.spec.endpoint import EndpointKeys
from modelyard.spec.job_record import Job
from modelyard.spec.pipeline_endpoint import (
    PipelineEndpoint, PipelineEndpointCreate, PipelineEndpointUpdate, PipelineEndpointVersion,
    PipelineEndpointVersionCreate, PipelineRunRequest,
)
from modelyard.store import PipelineEndpointRow, PipelineEndpointVersionRow


def _missing(name: str) -> str:
    return f"pipeline endpoint '{name}' not found; 'modelyard pipeline-endpoint list' shows them"


class PipelineEndpointService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.drafts = DesignerDraftService(context)

    def create(self, spec: PipelineEndpointCreate) -> PipelineEndpoint:
        """Publish ``spec.draft`` as version 1 of new endpoint ``spec.name``."""
        version = self._version_row(spec.name, 1, spec)
        folder = self.context.location.folder
        keys = {"primary": _secrets.encrypt(folder, secrets.token_urlsafe(32)),
                "secondary": _secrets.encrypt(folder, secrets.token_urlsafe(32))}
        with self.context.session() as session:
            if session.scalar(select(PipelineEndpointRow.id).where(PipelineEndpointRow.name == spec.name)):
                raise Conflict(f"pipeline endpoint '{spec.name}' exists already; publish a new version with "
                               f"'modelyard pipeline-endpoint add-version {spec.name} --draft ...'")
            session.add(PipelineEndpointRow(name=spec.name, description=spec.description, keys=keys,
                                            default_version=1))
            session.add(version)
        return self.get(spec.name)

    def get(self, name: str) -> PipelineEndpoint:
        with self.context.session() as session:
            row = one_or_not_found(session, select(PipelineEndpointRow).where(PipelineEndpointRow.name == name),
                                   _missing(name))
            versions = list(session.scalars(select(PipelineEndpointVersionRow)
                                            .where(PipelineEndpointVersionRow.endpoint == name)
                                            .order_by(PipelineEndpointVersionRow.version)))
            return self._record(row, versions)

    def list(self) -> list[PipelineEndpoint]:
        with self.context.session() as session:
            names = list(session.scalars(select(PipelineEndpointRow.name).order_by(PipelineEndpointRow.name)))
        return [self.get(name) for name in names]

    def update(self, name: str, change: PipelineEndpointUpdate) -> PipelineEndpoint:
        with self.context.session() as session:
            row = one_or_not_found(session, select(PipelineEndpointRow).where(PipelineEndpointRow.name == name),
                                   _missing(name))
            if change.default_version is not None:
                self._existing_version(session, name, change.default_version)
                row.default_version = change.default_version
            if change.description is not None:
                row.description = change.description
        return self.get(name)

    def delete(self, name: str) -> None:
        with self.context.session() as session:
            row = one_or_not_found(session, select(PipelineEndpointRow).where(PipelineEndpointRow.name == name),
                                   _missing(name))
            session.execute(delete(PipelineEndpointVersionRow).where(PipelineEndpointVersionRow.endpoint == name))
            session.delete(row)

    def add_version(self, name: str, spec: PipelineEndpointVersionCreate) -> PipelineEndpoint:
        """Publish ``spec.draft`` as the endpoint's next version (its default when ``spec.make_default``)."""
        self.get(name)
        with self.context.session() as session:
            number = (session.scalar(select(func.max(PipelineEndpointVersionRow.version))
                                     .where(PipelineEndpointVersionRow.endpoint == name)) or 0) + 1
            session.add(self._version_row(name, number, spec))
            if spec.make_default:
                session.scalar(select(PipelineEndpointRow).where(PipelineEndpointRow.name == name)) \
                    .default_version = number
        return self.get(name)

    def credentials(self, name: str) -> EndpointKeys:
        row = self._row(name)
        folder = self.context.location.folder
        return EndpointKeys(primary_key=_secrets.decrypt(folder, row.keys["primary"]),
                            secondary_key=_secrets.decrypt(folder, row.keys["secondary"]))

    def invoke(self, name: str, request: PipelineRunRequest, authorization: str) -> Job:
        """Start a run of the endpoint's version ``request.version`` (default: its default) with the given
        parameters, once ``authorization`` (``Bearer <key>``) carries one of its keys."""
        keys = self.credentials(name)
        sent = authorization.removeprefix("Bearer ").strip().encode()
        if not sent or not any(hmac.compare_digest(sent, key.encode())
                                for key in (keys.primary_key, keys.secondary_key)):
            raise Unauthorized(f"missing or wrong key for pipeline endpoint '{name}'; send 'Authorization: Bearer "
                               f"<key>' ('modelyard pipeline-endpoint get-credentials {name}')")
        endpoint = self._row(name)
        with self.context.session() as session:
            version = self._existing_version(session, name, request.version or endpoint.default_version)
        graph = self.drafts.get(version.draft_name, version.draft_version).graph
        datasets = {node.id for node in graph.nodes if node.module == "dataset"}
        values = {key: value for key, value in request.parameters.items() if key not in datasets}
        strays = sorted(set(values) - set(graph.parameters))
        if strays:
            raise InvalidInput(f"parameters: designer draft {version.draft_name}:{version.draft_version} has no "
                               f"dataset node {', '.join(strays)}, nor such a pipeline parameter; its dataset nodes "
                               f"are: {', '.join(sorted(datasets)) or 'none'}; its pipeline parameters: "
                               f"{', '.join(sorted(graph.parameters)) or 'none'}")
        return self.drafts.submit(version.draft_name, DraftSubmit(
            version=version.draft_version, compute=version.compute, parameters=values,
            data={key: str(value) for key, value in request.parameters.items() if key in datasets},
            experiment_name=request.experiment_name or version.experiment_name or name))

    def _row(self, name: str) -> PipelineEndpointRow:
        with self.context.session() as session:
            return one_or_not_found(session, select(PipelineEndpointRow).where(PipelineEndpointRow.name == name),
                                    _missing(name))

    @staticmethod
    def _existing_version(session, name: str, version: int) -> PipelineEndpointVersionRow:
        return one_or_not_found(session, select(PipelineEndpointVersionRow).where(
            PipelineEndpointVersionRow.endpoint == name, PipelineEndpointVersionRow.version == version),
            f"pipeline endpoint '{name}' has no version {version}; 'modelyard pipeline-endpoint show {name}' "
            "lists its versions")

    def _version_row(self, name: str, number: int, spec: PipelineEndpointVersionCreate) -> PipelineEndpointVersionRow:
        """The version publishing ``spec.draft``, which must exist and validate today."""
        ref = AssetRef.parse(spec.draft)
        draft = self.drafts.get(ref.name, ref.version)
        self.drafts.refuse_problems(draft.graph, f"designer draft {draft.name}:{draft.version}")
        if spec.compute is not None:
            from modelyard.services.jobs import JobService

            JobService(self.context).checked_compute(spec.compute, "compute")
        return PipelineEndpointVersionRow(endpoint=name, version=number, draft_name=draft.name,
                                          draft_version=draft.version, compute=spec.compute,
                                          experiment_name=spec.experiment_name, description=spec.description)

    def _record(self, row: PipelineEndpointRow, versions: list[PipelineEndpointVersionRow]) -> PipelineEndpoint:
        published = []
        for version in versions:
            try:
                graph = self.drafts.get(version.draft_name, version.draft_version).graph
                parameters = {**{n.id: str(n.parameters.get("asset")) for n in graph.nodes if n.module == "dataset"},
                              **graph.parameters}
            except NotFound:
                parameters = {}
            published.append(PipelineEndpointVersion(
                version=version.version, draft=f"{version.draft_name}:{version.draft_version}", compute=version.compute,
                experiment_name=version.experiment_name, description=version.description, parameters=parameters,
                created_at=as_utc(version.created_at)))
        return PipelineEndpoint(name=row.name, description=row.description, default_version=row.default_version,
                                versions=published, runs_uri=f"/api/pipeline-endpoints/{row.name}/runs",
                                created_at=as_utc(row.created_at))


