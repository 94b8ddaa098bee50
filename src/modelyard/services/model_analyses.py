"""Responsible AI analyses of a model version: explanation, fairness and error-analysis jobs, and their results.

An analysis is a job (type ``explanation``, ``fairness`` or ``error_analysis``) that pins a model
version and a data version and runs on a compute like any other job. What can be checked before it
runs is checked here, so bad input is refused (4xx) with nothing created: an archived model
version, data lacking the model's columns (from its signature), a target or sensitive feature that
is not a column, a continuous sensitive feature without bins (from the data's profile). Its result
(a record of ``spec.explain``) is the job's output ``<kind>/result.json`` in the artifact store;
the job's properties (``model``, ``analysis``) are the pointer from the model version to it, so a
failed or canceled job leaves no result behind. An AutoML job that explained its best model
(``training.enable_model_explainability``) stored it the same way, as its output ``explanation``.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from modelyard.errors import Conflict, InvalidInput, NotFound
from modelyard.services._context import ServiceContext
from modelyard.services._names import job_name
from modelyard.services.compute import as_utc
from modelyard.services.job_lifecycle import new_job, queue
from modelyard.services.jobs import DEFAULT_EXPERIMENT, JobService
from modelyard.services.models import ModelService
from modelyard.spec.compute import LOCAL_COMPUTE
from modelyard.spec.job import DATA_PREFIXES, DataInput
from modelyard.spec.job_record import Job
from modelyard.spec.job_status import JobStatus
from modelyard.spec.model_analysis import (DATA_INPUT, REQUESTS, ROUTES, FairnessRequest, ModelAnalysis,
                                           ModelAnalysisJob, _AnalysisRequest)
from modelyard.store import JobRow, ModelRow

RESULT_FILE = "result.json"
NUMERIC = ("integer", "decimal")
TITLES = {"explanation": "explanation", "fairness": "fairness assessment", "error_analysis": "error analysis",
          "mitigation": "fairness mitigation"}
COMMANDS = {"explanation": "explain", "fairness": "fairness", "error_analysis": "error-analysis",
            "mitigation": "mitigate"}


def result_key(job: str, kind: str) -> str:
    """Where a completed analysis job's result is, in the artifact store (its output folder)."""
    return f"jobs/{job}/outputs/{kind}/{RESULT_FILE}"


class ModelAnalysisService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.models = ModelService(context)
        self.jobs = JobService(context)

    # -- create -------------------------------------------------------------------------
    def create(self, reference: str, kind: str, request: _AnalysisRequest) -> Job:
        """Queue the ``kind`` analysis of model version ``reference`` over the request's data."""
        if not isinstance(request, REQUESTS[kind]):
            raise InvalidInput(f"a {TITLES[kind]} takes a {REQUESTS[kind].__name__}, not {type(request).__name__}")
        model = self.models.get_row(reference)
        if model.archived:
            raise InvalidInput(f"model {model.name}:{model.version} is archived: it is not analysed any more; "
                               f"pick a live version ('modelyard model list --name {model.name}') or unarchive it "
                               f"(PATCH /api/models/{model.name}/versions/{model.version} archived=false)")
        compute_name = request.compute or LOCAL_COMPUTE
        compute = self.jobs.checked_compute(compute_name, "compute")
        data = request.data if request.data.startswith(DATA_PREFIXES) else f"azureml:{request.data}"
        data_path = self.jobs.resolve_data_path(DataInput(path=data), "data")
        target = request.target if kind == "explanation" else request.target or self.trained_target(model)
        if kind != "explanation" and target is None:
            raise InvalidInput(f"name the column with the true labels (target, --target): model "
                               f"{model.name}:{model.version} does not come from an AutoML job that would say it")
        self._check_columns(model, data_path, target, request)
        reference = f"{model.name}:{model.version}"
        settings = request.model_dump(mode="json", exclude={"data", "compute", "experiment_name", "display_name",
                                                            "target"})
        spec = ModelAnalysisJob(type=kind, display_name=request.display_name or f"{TITLES[kind]} of {reference}",
                                experiment_name=request.experiment_name or model.name, compute=compute_name,
                                inputs={DATA_INPUT: DataInput(path=data_path)}, model=reference, target=target,
                                settings=settings)
        row = new_job(name=job_name(), type=kind, display_name=spec.display_name,
                      experiment_name=spec.experiment_name or DEFAULT_EXPERIMENT, compute=compute_name, tags={},
                      parent=None, spec=spec.model_dump(mode="json", by_alias=True),
                      properties={"compute_type": compute.type, "model": reference, "analysis": kind,
                                  "data": data_path.removeprefix("data:")})
        queue(row)
        with self.context.session() as session:
            session.add(row)
        return self.jobs.get(row.name)

    def trained_target(self, model: ModelRow) -> str | None:
        automl = (model.lineage or {}).get("automl_job") or (model.lineage or {}).get("parent_job")
        if not automl:
            return None
        try:
            spec = self.jobs.get_row(automl).spec or {}
        except NotFound:
            return None
        return spec.get("target_column_name")

    def _check_columns(self, model: ModelRow, data_path: str, target: str | None, request: _AnalysisRequest) -> None:
        """What the data's schema and profile can tell before the job runs."""
        if not data_path.startswith("data:"):
            return
        name, version = data_path.removeprefix("data:").rsplit(":", 1)
        asset = self.jobs.data.get_row(name, int(version))
        schema = {c["name"]: c for c in asset.columns or [] if c.get("include", True)}
        if not schema:
            return
        where, columns = f"data asset {name}:{version}", ", ".join(schema)
        missing = [c for c in _required_inputs(model) if c not in schema]
        if missing:
            raise InvalidInput(f"{where} lacks the column(s) {', '.join(map(repr, missing))} that model "
                               f"{model.name}:{model.version} reads; its columns are {columns}")
        if target is not None and target not in schema:
            raise InvalidInput(f"target column {target!r} is not in {where}; its columns are {columns}")
        if isinstance(request, FairnessRequest):
            self._check_sensitive(request, schema, asset.profile or {}, where)

    @staticmethod
    def _check_sensitive(request: FairnessRequest, schema: dict[str, dict], profile: dict, where: str) -> None:
        from modelyard.explain._fairness import MAX_GROUPS

        distinct = {c["name"]: c.get("distinct") for c in profile.get("columns") or []}
        for feature in request.sensitive:
            if feature not in schema:
                raise InvalidInput(f"sensitive feature {feature!r} is not a column of {where}; its columns are "
                                   f"{', '.join(schema)}")
            numeric = schema[feature].get("type") in NUMERIC
            if feature in request.bins and not numeric:
                raise InvalidInput(f"bins were given for sensitive feature {feature!r}, but it is a "
                                   f"{schema[feature].get('type')} column of {where}; give bins only for numbers")
            if numeric and feature not in request.bins and (distinct.get(feature) or 0) > MAX_GROUPS:
                raise InvalidInput(f"sensitive feature {feature!r} is continuous ({distinct[feature]} distinct "
                                   f"values in {where}); give bins for it, e.g. --bins {feature}=30,40,50")

    # -- read ---------------------------------------------------------------------------
    def list(self, reference: str, kind: str) -> list[ModelAnalysis]:
        """The version's ``kind`` analyses, newest first (running and failed ones included); for the best model
        of an AutoML job, the explanation that job made when it ended comes last."""
        model = self.models.get_row(reference)
        wanted = f"{model.name}:{model.version}"
        with self.context.session() as session:
            rows = [row for row in session.scalars(select(JobRow).where(JobRow.type == kind)
                                                   .order_by(JobRow.id.desc()))
                    if (row.properties or {}).get("model") == wanted]
        found = [self._record(row, wanted) for row in rows]
        automl = self._automl_explanation(model) if kind == "explanation" else None
        return found + ([self._record(automl, wanted)] if automl is not None else [])

    def _automl_explanation(self, model: ModelRow) -> JobRow | None:
        """The AutoML job whose best model this version is, when it explained that model."""
        job = (model.lineage or {}).get("automl_job")
        if not job:
            return None
        try:
            row = self.jobs.get_row(job)
        except NotFound:
            return None
        explained = (row.properties or {}).get("explanation", {}).get("status") == JobStatus.COMPLETED
        return row if row.type == "automl" and explained else None

    def result(self, reference: str, kind: str, job: str | None = None) -> dict[str, Any]:
        """The stored result of job ``job``, or of the version's newest completed ``kind`` analysis."""
        model = self.models.get_row(reference)
        wanted = f"{model.name}:{model.version}"
        analyses = self.list(wanted, kind)
        if job is not None:
            found = next((a for a in analyses if a.job == job), None)
            if found is None:
                raise NotFound(f"job '{job}' is not a {TITLES[kind]} of model {wanted}; "
                               f"GET /api/models/{model.name}/versions/{model.version}/{ROUTES[kind]} lists them")
            if found.status != JobStatus.COMPLETED:
                raise Conflict(f"{TITLES[kind]} job '{job}' is {found.status}"
                               + (f": {found.error}" if found.error else "; wait for it to complete"))
        else:
            found = next((a for a in analyses if a.status == JobStatus.COMPLETED), None)
            if found is None:
                raise NotFound(f"model {wanted} has no completed {TITLES[kind]}; run 'modelyard model "
                               f"{COMMANDS[kind]} {wanted} --data <data asset>'")
        with self.context.artifacts.open(result_key(found.job, kind)) as handle:
            return json.load(handle)

    def _record(self, row: JobRow, model: str) -> ModelAnalysis:
        kind = "explanation" if row.type == "automl" else row.type
        data = row.properties.get("data") or (row.spec.get("training_data") or {}).get("path", "")
        return ModelAnalysis(kind=kind, job=row.name, status=row.status, model=model, data=data.removeprefix("data:"),
                             target=row.spec.get("target") or row.spec.get("target_column_name"), error=row.error, created_at=as_utc(row.created_at),
                             result_uri=self.context.artifacts.uri(result_key(row.name, kind))
                             if row.status == JobStatus.COMPLETED else None)


def signature_columns(model: ModelRow) -> list[dict[str, Any]]:
    """The column specs (name, type, required) of the model's MLflow signature; none without a column signature."""
    inputs = (model.signature or {}).get("inputs")
    try:
        specs = json.loads(inputs) if isinstance(inputs, str) else inputs or []
    except ValueError:
        return []
    return [s for s in specs if isinstance(s, dict) and s.get("name")]


def _required_inputs(model: ModelRow) -> list[str]:
    """The columns the model's MLflow signature requires (none known without a column signature)."""
    return [s["name"] for s in signature_columns(model) if s.get("required", True)]
