"""Designer drafts: pipeline graphs of built-in modules with their canvas layout, versioned by name.
Every rule about them lives here; the graph rules themselves are the Designer engine's
(``modelyard.designer.validate_draft``), fed with the stored schemas of the datasets a draft reads."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from modelyard.errors import Conflict, InvalidGraph, InvalidInput, NotFound
from modelyard.services._context import ServiceContext
from modelyard.services._designer_pipeline import pipeline_document
from modelyard.services._rows import get_one
from modelyard.services._versions import insert_version
from modelyard.services.compute import as_utc
from modelyard.services.data import DataAssetService
from modelyard.spec._common import AssetRef, check_name
from modelyard.spec.designer import DraftGraph, Schema
from modelyard.spec.designer_draft import (
    DesignerDraft, DesignerDraftCreate, DraftImport, DraftSubmit, DraftValidation, GraphProblem,
    PipelineParameterPromote,
)
from modelyard.spec.job_record import Job
from modelyard.spec.pipeline_graph import Problem
from modelyard.store import DesignerDraftRow, JobRow


def _missing(reference: str) -> str:
    return f"designer draft {reference} not found; 'modelyard designer list' shows the saved ones"


def _node_of(where: str, node_ids: list[str]) -> str | None:
    """The node a problem sits on (``nodes.<id>...``); node ids may hold dots, so the longest that fits."""
    fitting = [n for n in node_ids if where == f"nodes.{n}" or where.startswith(f"nodes.{n}.")]
    return max(fitting, key=len) if fitting else None


class DesignerDraftService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def create(self, spec: DesignerDraftCreate) -> DesignerDraft:
        """Save the graph as the next version of draft ``spec.name`` (or as ``spec.version``); a graph
        that breaks a rule is refused with every problem (InvalidGraph) and nothing is saved."""
        strays = sorted(set(spec.layout) - {node.id for node in spec.graph.nodes})
        if strays:
            raise InvalidInput(f"layout places node(s) {', '.join(strays)}, which the graph does not have; "
                               "remove them from the layout or add the nodes")
        if not spec.allow_problems:
            self.refuse_problems(spec.graph, f"designer draft {spec.name}")
        row = insert_version(self.context, DesignerDraftRow, spec.name, spec.version, "designer draft",
                             lambda _: {"graph": spec.graph.model_dump(mode="json"),
                                        "layout": {k: v.model_dump() for k, v in spec.layout.items()},
                                        "description": spec.description})
        return self._record(row)

    def get(self, name: str, version: int | None = None) -> DesignerDraft:
        """Version ``version`` of draft ``name``, or its latest."""
        check_name(name)
        query = select(DesignerDraftRow).where(DesignerDraftRow.name == name)
        query = query.where(DesignerDraftRow.version == version) if version is not None else \
            query.order_by(DesignerDraftRow.version.desc()).limit(1)
        return self._record(get_one(self.context, query, _missing(name if version is None else f"{name}:{version}")))

    def list(self, name: str | None = None) -> list[DesignerDraft]:
        """Every version of ``name``, newest first, or the latest version of every draft."""
        with self.context.session() as session:
            if name is not None:
                query = select(DesignerDraftRow).where(DesignerDraftRow.name == name) \
                    .order_by(DesignerDraftRow.version.desc())
            else:
                latest = select(DesignerDraftRow.name, func.max(DesignerDraftRow.version).label("version")) \
                    .group_by(DesignerDraftRow.name).subquery()
                query = select(DesignerDraftRow).join(latest, (DesignerDraftRow.name == latest.c.name)
                                                      & (DesignerDraftRow.version == latest.c.version)) \
                    .order_by(DesignerDraftRow.name)
            return [self._record(row) for row in session.scalars(query)]

    def runs(self, name: str) -> list[Job]:
        """The pipeline jobs that ran any version of draft ``name`` (its run history), newest first."""
        from modelyard.services.jobs import JobService
        from modelyard.spec.job import JobFilter

        self.get(name)
        # the display name holds "name:version", so the search narrows; the tag decides (names may hold "_", "%")
        jobs = JobService(self.context).list(JobFilter(search=f"{name}:", limit=1000))
        return [job for job in jobs if (job.tags or {}).get("designer_draft", "").rpartition(":")[0] == name]

    def delete(self, name: str, version: int) -> None:
        check_name(name)
        with self.context.session() as session:
            deleted = session.execute(delete(DesignerDraftRow).where(DesignerDraftRow.name == name,
                                                                     DesignerDraftRow.version == version)).rowcount
        if not deleted:
            raise NotFound(_missing(f"{name}:{version}"))

    def rename(self, name: str, new_name: str) -> DesignerDraft:
        """Move every version of draft ``name`` to ``new_name``, which no draft may have yet."""
        check_name(name)
        with self.context.session() as session:
            if session.scalar(select(func.count()).where(DesignerDraftRow.name == new_name)):
                raise Conflict(f"designer draft '{new_name}' already exists; pick another name or delete that one")
            moved = session.execute(update(DesignerDraftRow).where(DesignerDraftRow.name == name)
                                    .values(name=new_name)).rowcount
        if not moved:
            raise NotFound(_missing(name))
        return self.get(new_name)

    def delete_all(self, name: str) -> None:
        """Delete draft ``name`` with every one of its versions."""
        check_name(name)
        with self.context.session() as session:
            deleted = session.execute(delete(DesignerDraftRow).where(DesignerDraftRow.name == name)).rowcount
        if not deleted:
            raise NotFound(_missing(name))

    def submit(self, name: str, request: DraftSubmit) -> Job:
        """Run a version of draft ``name`` as a pipeline job on ``request.compute``; a draft that no longer
        validates (a dataset archived since it was saved) is refused with its problems."""
        from modelyard.services.jobs import JobService

        from modelyard.designer._pipeline_parameters import bind_parameters

        draft = self._with_data(self.get(name, request.version), request.data)
        what = f"designer draft {draft.name}:{draft.version}"
        self.refuse_problems(draft.graph, what)
        draft = draft.model_copy(update={"graph": bind_parameters(draft.graph, request.parameters, what)})
        if request.parameters:
            self.refuse_problems(draft.graph, f"{what} with parameters {request.parameters}")
        datasets = {node.id: self._pinned(node.parameters["asset"]) for node in draft.graph.nodes
                    if node.module == "dataset"}
        return JobService(self.context).create(pipeline_document(draft, datasets, request))

    @staticmethod
    def _with_data(draft: DesignerDraft, data: dict[str, str]) -> DesignerDraft:
        """``draft`` with the assets of its dataset nodes replaced as ``data`` (node id -> asset) says."""
        if not data:
            return draft
        datasets = [node.id for node in draft.graph.nodes if node.module == "dataset"]
        strays = sorted(set(data) - set(datasets))
        if strays:
            raise InvalidInput(f"data: designer draft {draft.name}:{draft.version} has no dataset node "
                               f"{', '.join(strays)}; its dataset nodes are: {', '.join(datasets) or 'none'}")
        nodes = [node.model_copy(update={"parameters": {**node.parameters, "asset": data[node.id]}})
                 if node.id in data else node for node in draft.graph.nodes]
        return draft.model_copy(update={"graph": draft.graph.model_copy(update={"nodes": nodes})})

    def export(self, name: str, version: int | None = None) -> dict:
        """Version ``version`` (default: the latest) of draft ``name`` as an Azure-v2-style pipeline document."""
        from modelyard.designer._pipeline_yaml import pipeline_document as yaml_document

        draft = self.get(name, version)
        return yaml_document(draft.name, draft.graph, draft.description)

    def export_yaml(self, name: str, version: int | None = None) -> str:
        """The export of ``export`` as the YAML file ``designer export`` writes."""
        from modelyard.designer._pipeline_yaml import yaml_text

        return yaml_text(self.export(name, version))

    def import_document(self, request: DraftImport) -> DesignerDraft:
        """Save a pipeline document as the next version of its draft; the graph rules apply as on any save."""
        from modelyard.designer._pipeline_yaml import graph_of, parse_yaml

        document = request.document if isinstance(request.document, dict) else parse_yaml(request.document)
        display_name, description, graph = graph_of(document)
        name = request.name or display_name
        if not name:
            raise InvalidInput("the pipeline document has no display_name; give the draft a name (--name)")
        return self.create(DesignerDraftCreate(name=check_name(str(name), "draft name"), description=description,
                                               graph=graph))

    def promote_parameter(self, name: str, request: PipelineParameterPromote) -> DesignerDraft:
        """Save the next version of draft ``name`` with a node's parameter made a pipeline parameter."""
        from modelyard.designer._pipeline_parameters import promote

        draft = self.get(name)
        graph = promote(draft.graph, request.node, request.parameter, request.name, request.default)
        return self.create(DesignerDraftCreate(name=draft.name, description=draft.description, graph=graph,
                                               layout=draft.layout))

    def _pinned(self, asset: str) -> str:
        ref = AssetRef.parse(str(asset).removeprefix("azureml:"))
        row = DataAssetService(self.context).get_row(ref.name, ref.version, ref.label)
        return f"data:{row.name}:{row.version}"

    def refuse_problems(self, graph: DraftGraph, what: str) -> None:
        validation = self.validate(graph)
        if not validation.valid:
            raise InvalidGraph(f"{what} is invalid: " + "; ".join(f"{p.where}: {p.message}" for p in validation.problems),
                               [p.model_dump() for p in validation.problems])

    def validate(self, graph: DraftGraph) -> DraftValidation:
        """Every problem of ``graph``: the datasets it reads, then the engine's graph rules over their schemas."""
        from modelyard.designer import flow_schemas, validate_draft
        from modelyard.designer._validate import Draft

        schemas, problems = self.dataset_schemas(graph)
        problems += self._saved_problems(graph) + validate_draft(graph, schemas)
        flowing, _ = flow_schemas(Draft.of(graph), schemas)
        columns: dict[str, dict[str, Schema]] = {}
        for edge in graph.edges:
            schema = flowing.get((edge.source, edge.source_port))
            if isinstance(schema, dict):
                columns.setdefault(edge.target, {})[edge.target_port] = schema
        ids = [node.id for node in graph.nodes]
        return DraftValidation(valid=not problems, input_columns=columns, problems=[
            GraphProblem(rule=p.rule, where=p.where, message=p.message, node=_node_of(p.where, ids))
            for p in problems])

    def dataset_schemas(self, graph: DraftGraph) -> tuple[dict[str, Schema], list[Problem]]:
        """Each dataset node's stored schema (its included columns), and the problems of the assets named."""
        data = DataAssetService(self.context)
        schemas: dict[str, Schema] = {}
        problems: list[Problem] = []
        for node in graph.nodes:
            asset = node.parameters.get("asset")
            if node.module != "dataset" or not asset:
                continue  # a dataset node without an asset is the parameter rule's problem
            where, name = f"nodes.{node.id}.parameters.asset", f"node '{node.id}' (Dataset)"
            try:
                ref = AssetRef.parse(str(asset).removeprefix("azureml:"))
                row = data.get_row(ref.name, ref.version, ref.label)
            except (NotFound, InvalidInput) as error:
                problems.append(Problem("unknown_dataset", where, f"{name}: {error.message}"))
                continue
            if row.archived:
                problems.append(Problem("archived_dataset", where, f"{name}: data asset {row.name}:{row.version} is "
                                        "archived; pick a version that is not, or restore it with `modelyard data "
                                        f"restore {row.name}:{row.version}`"))
            elif not row.columns:
                problems.append(Problem("not_tabular", where, f"{name}: data asset {row.name}:{row.version} is not "
                                        "a table (no columns); register a CSV, parquet or mltable asset"))
            else:
                schemas[node.id] = {c["name"]: c["type"] for c in row.columns if c.get("include", True)}
        return schemas, problems

    def _saved_problems(self, graph: DraftGraph) -> list[Problem]:
        """Each saved node (an inference pipeline's Trained Model or Fitted Transformation) whose step output
        is gone: the step job deleted, or without that output."""
        from modelyard.designer._saved import SAVED_MODULES

        problems = []
        for node in graph.nodes:
            job, port = node.parameters.get("job"), node.parameters.get("port") or "trained_model"
            if node.module not in SAVED_MODULES or not job:
                continue
            with self.context.session() as session:
                row = session.scalar(select(JobRow).where(JobRow.name == str(job)))
            if row is None or port not in (row.outputs or {}):
                problems.append(Problem("missing_saved_output", f"nodes.{node.id}.parameters.job",
                                        f"node '{node.id}': job '{job}' has no output '{port}' (deleted, or not "
                                        "a completed training step); create the inference pipeline again from a "
                                        "completed training run"))
        return problems

    @staticmethod
    def _record(row: DesignerDraftRow) -> DesignerDraft:
        graph = DraftGraph.model_validate(row.graph)
        return DesignerDraft(name=row.name, version=row.version, kind=draft_kind(graph), description=row.description,
                             graph=graph, layout=row.layout or {}, created_at=as_utc(row.created_at))


def draft_kind(graph: DraftGraph) -> str:
    """An inference pipeline reads a Trained Model: real-time when it takes requests at Web Service Input."""
    modules = {node.module for node in graph.nodes}
    if "trained_model" not in modules:
        return "training"
    return "real-time" if "web_service_input" in modules else "batch"
