"""Lineage: one typed graph over what the store already records, walked from any node.

Edges point the way data flows: a data version is an ``input`` of a job, a job's registered
``output`` is a data version, a pipeline's ``step`` / an AutoML run's ``trial`` / any other
``child`` hangs under its parent job, a component ``runs`` as a pipeline step, a job ``produced``
a model (or, with no job known, a model is ``trained-on`` data), a model is ``deployed`` as an
online or batch deployment, and a deployment ``serves`` its endpoint. The sources: job specs
(``data:name:version`` inputs) and outputs, jobs' parents and steps, the component a step ran (its
``component`` tag), models' lineage, data
versions' producing job (their ``job`` tag) and deployments' models. A registered environment
``runs-in`` each job that ran in it (the job's ``environment`` property).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from modelyard.errors import InvalidInput, NotFound
from modelyard.services._context import ServiceContext
from modelyard.spec.lineage import MAX_DEPTH, LineageEdge, LineageGraph, LineageNode
from modelyard.store import ComponentRow, DataVersionRow, DeploymentRow, EndpointRow, EnvironmentRow, JobRow, ModelRow
from modelyard.store._tables import BatchDeploymentRow, BatchEndpointRow

DATA_REF = re.compile(r"data:([A-Za-z0-9][A-Za-z0-9_.-]*):(\d+)")
KINDS = {"data": "data", "job": "job", "component": "component", "model": "model",
         "online-endpoint": "online-endpoint", "endpoint": "online-endpoint",
         "online-deployment": "online-deployment", "deployment": "online-deployment",
         "batch-endpoint": "batch-endpoint", "batch-deployment": "batch-deployment", "environment": "environment"}
VERSIONED = {"data": DataVersionRow, "model": ModelRow, "component": ComponentRow, "environment": EnvironmentRow}
PARENT_EDGE = {"automl": "trial", "sweep": "trial"}
NODE_FORMAT = ("kind:name[:version] with kind one of data, job, component, model, environment, online-endpoint, "
               "online-deployment (endpoint/deployment), batch-endpoint, batch-deployment; e.g. model:attrition:2, "
               "data:hr@latest, job:train-42, online-deployment:attrition/blue")


class LineageService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def graph(self, node: str, depth: int = 2) -> LineageGraph:
        """The nodes within ``depth`` edges of ``node`` (upstream and downstream) and the edges between them."""
        if not 0 <= depth <= MAX_DEPTH:
            raise InvalidInput(f"depth must be between 0 and {MAX_DEPTH}, got {depth}")
        with self.context.session() as session:
            walk = _Walk(session)
            root = walk.resolve(node)
            frontier = [root]
            for _ in range(depth):
                frontier = [found for current in frontier for found in walk.expand(current)]
            return LineageGraph(root=root, depth=depth, nodes=list(walk.nodes.values()),
                                edges=[LineageEdge(source=s, target=t, type=kind) for s, t, kind in sorted(walk.edges)])


class _Walk:
    """The nodes and edges found so far, and each node's row (to find its neighbours)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.nodes: dict[str, LineageNode] = {}
        self.rows: dict[str, Any] = {}
        self.edges: set[tuple[str, str, str]] = set()
        self.expanded: set[str] = set()

    # -- nodes ---------------------------------------------------------------------------------
    def resolve(self, text: str) -> str:
        """The id of the node ``text`` names; InvalidInput for a malformed one, NotFound for a missing one."""
        kind_text, _, rest = text.strip().partition(":")
        kind = KINDS.get(kind_text)
        if kind is None or not rest:
            raise InvalidInput(f"node {text!r} is not one: use {NODE_FORMAT}")
        row = self._find(kind, rest)
        if row is None:
            raise NotFound(f"node {kind}:{rest} not found: no {kind} '{rest}' in this workspace (list them with "
                           f"'modelyard {kind} list')")
        return self.add(kind, row)

    def _find(self, kind: str, rest: str) -> Any:
        if kind in VERSIONED:
            table = VERSIONED[kind]
            name, _, version = rest.replace("@latest", "").partition(":")
            query = select(table).where(table.name == name)
            if version and version != "latest":
                if not version.isdigit():
                    raise InvalidInput(f"node {kind}:{rest}: version must be a number or 'latest', got {version!r}")
                return self.session.scalar(query.where(table.version == int(version)))
            return self.session.scalar(query.order_by(table.version.desc()).limit(1))
        if kind in ("online-deployment", "batch-deployment"):
            table = DeploymentRow if kind == "online-deployment" else BatchDeploymentRow
            endpoint, _, name = rest.partition("/")
            if not name:
                raise InvalidInput(f"node {kind}:{rest}: name the deployment as endpoint/deployment")
            return self.session.scalar(select(table).where(table.endpoint == endpoint, table.name == name))
        table = {"job": JobRow, "online-endpoint": EndpointRow, "batch-endpoint": BatchEndpointRow}[kind]
        return self.session.scalar(select(table).where(table.name == rest))

    def add(self, kind: str, row: Any) -> str:
        node = _node(kind, row)
        if node.id not in self.nodes:
            self.nodes[node.id] = node
            self.rows[node.id] = row
        return node.id

    def link(self, source: str, target: str, kind: str) -> None:
        self.edges.add((source, target, kind))

    # -- neighbours ----------------------------------------------------------------------------
    def expand(self, node_id: str) -> list[str]:
        """Add ``node_id``'s neighbours and the edges to them; the neighbours not seen before."""
        if node_id in self.expanded:
            return []
        self.expanded.add(node_id)
        before = set(self.nodes)
        node, row = self.nodes[node_id], self.rows[node_id]
        neighbours = getattr(self, f"_{node.kind.replace('-', '_')}")
        for source_kind, source_row, target_kind, target_row, edge in neighbours(row):
            self.link(self.add(source_kind, source_row), self.add(target_kind, target_row), edge)
        return [found for found in self.nodes if found not in before]

    def _data(self, row: DataVersionRow) -> Iterator[tuple]:
        producer = (row.tags or {}).get("job")
        if producer and (job := self._job_named(producer)) is not None:
            yield "job", job, "data", row, "output"
        for job in self._mentioning(JobRow, JobRow.spec, f"data:{row.name}:{row.version}"):
            if (row.name, str(row.version)) in _data_refs(job.spec):
                yield "data", row, "job", job, "input"
        for model in self._mentioning(ModelRow, ModelRow.lineage, f"{row.name}:{row.version}"):
            lineage = model.lineage or {}
            if not _model_job(lineage) and f"{row.name}:{row.version}" in lineage.get("data", []):
                yield "data", row, "model", model, "trained-on"

    def _job(self, row: JobRow) -> Iterator[tuple]:
        for name, version in sorted(_data_refs(row.spec)):
            data = self.session.scalar(select(DataVersionRow).where(DataVersionRow.name == name,
                                                                    DataVersionRow.version == int(version)))
            if data is not None:
                yield "data", data, "job", row, "input"
        for output in (row.outputs or {}).values():
            name, _, version = str((output or {}).get("data_asset") or "").partition(":")
            if version.isdigit() and (data := self.session.scalar(select(DataVersionRow).where(
                    DataVersionRow.name == name, DataVersionRow.version == int(version)))) is not None:
                yield "job", row, "data", data, "output"
        if row.parent and (parent := self._job_named(row.parent)) is not None:
            yield "job", parent, "job", row, _child_edge(parent, row)
        reference = _component_ref((row.tags or {}).get("component"))
        if reference and (component := self.session.scalar(select(ComponentRow).where(
                ComponentRow.name == reference[0], ComponentRow.version == int(reference[1])))) is not None:
            yield "component", component, "job", row, "runs"
        name, _, version = str((row.properties or {}).get("environment") or "").partition(":")
        if version.isdigit() and (environment := self.session.scalar(select(EnvironmentRow).where(
                EnvironmentRow.name == name, EnvironmentRow.version == int(version)))) is not None:
            yield "environment", environment, "job", row, "runs-in"
        for child in self.session.scalars(select(JobRow).where(JobRow.parent == row.name).order_by(JobRow.id)):
            yield "job", row, "job", child, _child_edge(row, child)
        for model in self._mentioning(ModelRow, ModelRow.lineage, row.name):
            if _model_job(model.lineage or {}) == row.name:
                yield "job", row, "model", model, "produced"

    def _component(self, row: ComponentRow) -> Iterator[tuple]:
        for job in self._mentioning(JobRow, JobRow.tags, f"{row.name}:{row.version}"):
            if _component_ref((job.tags or {}).get("component")) == (row.name, str(row.version)):
                yield "component", row, "job", job, "runs"

    def _environment(self, row: EnvironmentRow) -> Iterator[tuple]:
        for job in self._mentioning(JobRow, JobRow.properties, f"{row.name}:{row.version}"):
            if (job.properties or {}).get("environment") == f"{row.name}:{row.version}":
                yield "environment", row, "job", job, "runs-in"

    def _model(self, row: ModelRow) -> Iterator[tuple]:
        lineage = row.lineage or {}
        job_name = _model_job(lineage)
        if job_name and (job := self._job_named(job_name)) is not None:
            yield "job", job, "model", row, "produced"
        elif not job_name:
            for reference in lineage.get("data", []):
                name, _, version = str(reference).partition(":")
                if version.isdigit() and (data := self.session.scalar(select(DataVersionRow).where(
                        DataVersionRow.name == name, DataVersionRow.version == int(version)))) is not None:
                    yield "data", data, "model", row, "trained-on"
        for kind, table in (("online-deployment", DeploymentRow), ("batch-deployment", BatchDeploymentRow)):
            for deployment in self.session.scalars(select(table).where(table.model_name == row.name,
                                                                       table.model_version == row.version)):
                yield "model", row, kind, deployment, "deployed"

    def _online_deployment(self, row: DeploymentRow) -> Iterator[tuple]:
        yield from self._deployment(row, "online-deployment", EndpointRow, "online-endpoint")

    def _batch_deployment(self, row: BatchDeploymentRow) -> Iterator[tuple]:
        yield from self._deployment(row, "batch-deployment", BatchEndpointRow, "batch-endpoint")

    def _deployment(self, row, kind: str, endpoints, endpoint_kind: str) -> Iterator[tuple]:
        model = self.session.scalar(select(ModelRow).where(ModelRow.name == row.model_name,
                                                           ModelRow.version == row.model_version))
        if model is not None:
            yield "model", model, kind, row, "deployed"
        endpoint = self.session.scalar(select(endpoints).where(endpoints.name == row.endpoint))
        if endpoint is not None:
            yield kind, row, endpoint_kind, endpoint, "serves"

    def _online_endpoint(self, row: EndpointRow) -> Iterator[tuple]:
        for deployment in self.session.scalars(select(DeploymentRow).where(DeploymentRow.endpoint == row.name)):
            yield "online-deployment", deployment, "online-endpoint", row, "serves"

    def _batch_endpoint(self, row: BatchEndpointRow) -> Iterator[tuple]:
        deployments = select(BatchDeploymentRow).where(BatchDeploymentRow.endpoint == row.name)
        for deployment in self.session.scalars(deployments):
            yield "batch-deployment", deployment, "batch-endpoint", row, "serves"

    # -- reads -----------------------------------------------------------------------------------
    def _job_named(self, name: str) -> JobRow | None:
        return self.session.scalar(select(JobRow).where(JobRow.name == name))

    def _mentioning(self, table, column, needle: str) -> list:
        """Rows whose JSON ``column`` holds ``needle`` somewhere (a coarse filter: callers check exactly)."""
        return list(self.session.scalars(select(table).where(cast(column, Text).contains(needle, autoescape=True))
                                         .order_by(table.id)))


def _node(kind: str, row: Any) -> LineageNode:
    version = str(row.version) if kind in VERSIONED else None
    name = f"{row.endpoint}/{row.name}" if kind.endswith("-deployment") else row.name
    attributes: dict[str, Any] = {"created_at": row.created_at.isoformat() if row.created_at else None}
    if kind == "job":
        attributes.update(type=row.type, status=row.status, experiment=row.experiment_name, step=row.step)
    elif kind in ("data", "model"):
        attributes.update(type=row.type)
    elif kind == "online-deployment":
        attributes.update(state=row.state, model=f"{row.model_name}:{row.model_version}")
    elif kind == "online-endpoint":
        attributes.update(traffic=row.traffic or {})
    return LineageNode(id=f"{kind}:{name}" + (f":{version}" if version else ""), kind=kind, name=name,
                       version=version, attributes=attributes)


def _data_refs(spec: Any) -> set[tuple[str, str]]:
    """Every ``data:name:version`` a job spec names, at any depth."""
    found: set[tuple[str, str]] = set()
    if isinstance(spec, dict):
        for value in spec.values():
            found |= _data_refs(value)
    elif isinstance(spec, list):
        for value in spec:
            found |= _data_refs(value)
    elif isinstance(spec, str) and (match := DATA_REF.fullmatch(spec)):
        found.add((match[1], match[2]))
    return found


def _model_job(lineage: dict[str, Any]) -> str | None:
    return lineage.get("job") or lineage.get("automl_job")


def _child_edge(parent: JobRow, child: JobRow) -> str:
    return PARENT_EDGE.get(parent.type) or ("step" if child.step else "child")


def _component_ref(reference: Any) -> tuple[str, str] | None:
    if not isinstance(reference, str):
        return None
    name, _, version = reference.removeprefix("azureml:").partition(":")
    return (name, version) if version.isdigit() else None
