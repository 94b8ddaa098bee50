"""SDK for Designer drafts: ``ws.designer_drafts.create("draft.yml")``, ``.validate(graph)``, ``.get("attrition:2")``."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from modelyard.client._http import ApiClient
from modelyard.spec._common import AssetRef, validate_spec
from modelyard.spec.data import DataProfile
from modelyard.spec.designer import DraftGraph
from modelyard.spec.designer_draft import (
    DesignerDraft, DesignerDraftCreate, DraftImport, DraftModelRegister, DraftSubmit, DraftValidation, InferencePipelineCreate,
    PipelineParameterPromote,
)
from modelyard.spec.job_record import Job
from modelyard.spec.model import Model


class DesignerDraftOperations:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    def create(self, draft: str | Path | dict[str, Any]) -> DesignerDraft:
        """Save a draft (a YAML file or a dict: name, graph, layout) as its name's next version. A graph
        that breaks a rule raises InvalidGraph, whose ``problems`` name each node and the fix."""
        from modelyard.client._jobs import load_document

        spec = validate_spec(DesignerDraftCreate, load_document(draft)[0], "designer draft")
        body = spec.model_dump(mode="json", by_alias=True, exclude_none=True)
        return DesignerDraft.model_validate(self._api.post("/api/designer-drafts", json=body))

    def get(self, reference: str, version: int | None = None) -> DesignerDraft:
        """``name`` (the latest version), ``name:3`` or ``name`` with ``version``."""
        ref = AssetRef.parse(reference)
        number = version or ref.version
        path = f"/api/designer-drafts/{quote(ref.name)}" + (f"/versions/{number}" if number else "")
        return DesignerDraft.model_validate(self._api.get(path))

    def list(self, name: str | None = None) -> list[DesignerDraft]:
        """The latest version of every draft, or every version of ``name``."""
        return [DesignerDraft.model_validate(d)
                for d in self._api.get("/api/designer-drafts", params={"name": name} if name else {})]

    def validate(self, graph: DraftGraph | dict[str, Any]) -> DraftValidation:
        """Every problem of a graph (``{"nodes": [...], "edges": [...]}``), checked by the server without saving."""
        body = graph.model_dump(mode="json") if isinstance(graph, DraftGraph) else graph
        return DraftValidation.model_validate(self._api.post("/api/designer-drafts/validate", json=body))

    def delete(self, name: str, version: int) -> None:
        self._api.delete(f"/api/designer-drafts/{quote(name)}/versions/{version}")

    def submit(self, reference: str, *, compute: str | None = None, experiment_name: str | None = None,
               force_rerun: bool = False, continue_on_step_failure: bool = False,
               data: dict[str, str] | None = None, parameters: dict[str, Any] | None = None) -> Job:
        """Run draft ``name`` (its latest version) or ``name:3`` as a pipeline job; steps whose module,
        parameters and inputs are unchanged since an earlier run are reused. ``data`` (dataset node id ->
        ``name:version``) reads other data asset versions for this run (a batch inference pipeline's parameter);
        ``parameters`` gives pipeline parameters values (the others take their defaults)."""
        ref = AssetRef.parse(reference)
        body = DraftSubmit(version=ref.version, compute=compute, experiment_name=experiment_name,
                           force_rerun=force_rerun, continue_on_step_failure=continue_on_step_failure,
                           data=data or {}, parameters=parameters or {}).model_dump(mode="json", exclude_none=True)
        return Job.model_validate(self._api.post(f"/api/designer-drafts/{quote(ref.name)}/jobs", json=body))

    def export(self, reference: str) -> dict[str, Any]:
        """Draft ``name`` or ``name:3`` as an Azure-v2-style pipeline document (dump it as YAML)."""
        ref = AssetRef.parse(reference)
        return self._api.get(f"/api/designer-drafts/{quote(ref.name)}/pipeline-document",
                             params={"version": ref.version} if ref.version else {})

    def import_document(self, document: str | Path | dict[str, Any], name: str | None = None) -> DesignerDraft:
        """Save a pipeline YAML file (or its dict) of built-in modules as a draft: ``name`` or its display_name."""
        from modelyard.client._jobs import load_document

        body = DraftImport(document=load_document(document)[0], name=name)
        return DesignerDraft.model_validate(self._api.post("/api/designer-drafts/import",
                                                           json=body.model_dump(mode="json", exclude_none=True)))

    def promote_parameter(self, name: str, node: str, parameter: str, *, as_name: str | None = None,
                          default: Any = None) -> DesignerDraft:
        """Azure's "set as pipeline parameter": node ``node``'s ``parameter`` takes pipeline parameter ``as_name``
        (default: the parameter's name) whose default is ``default`` (else the node's value); a new version."""
        body = PipelineParameterPromote(node=node, parameter=parameter, name=as_name, default=default)
        return DesignerDraft.model_validate(self._api.post(f"/api/designer-drafts/{quote(name)}/pipeline-parameters",
                                                           json=body.model_dump(mode="json", exclude_none=True)))

    def runs(self, name: str) -> list[Job]:
        """The pipeline jobs that ran any version of draft ``name``, newest first (its run history)."""
        return [Job.model_validate(job) for job in self._api.get(f"/api/designer-drafts/{quote(name)}/jobs")]

    def create_inference(self, job: str, *, batch: bool = False, name: str | None = None) -> DesignerDraft:
        """Azure's "Create inference pipeline" on completed training run ``job``: a new draft (real-time, or
        batch) reading the run's trained model and fitted transformations."""
        body = InferencePipelineCreate(job=job, kind="batch" if batch else "real-time", name=name)
        return DesignerDraft.model_validate(self._api.post("/api/designer-drafts/inference",
                                                           json=body.model_dump(mode="json", exclude_none=True)))

    def register_model(self, reference: str, *, model_name: str | None = None,
                       description: str | None = None) -> Model:
        """Register real-time inference draft ``name`` or ``name:3`` as one MLflow model (its transformations
        and trained model), which ``ws.online_endpoints.create_deployment`` deploys."""
        ref = AssetRef.parse(reference)
        body = DraftModelRegister(version=ref.version, model_name=model_name, description=description)
        return Model.model_validate(self._api.post(f"/api/designer-drafts/{quote(ref.name)}/models",
                                                   json=body.model_dump(mode="json", exclude_none=True)))

    def read_port(self, step_job: str, port: str, offset: int = 0, limit: int = 100) -> dict[str, Any]:
        """Output ``port`` of a step job: a dataset as ``columns``, ``total`` and a page of ``rows``;
        an evaluation, model or transformation as its JSON ``value``."""
        return self._api.get(f"/api/jobs/{quote(step_job)}/designer-ports/{quote(port)}",
                             params={"offset": offset, "limit": limit})

    def profile_port(self, step_job: str, port: str) -> DataProfile:
        """The column profile of a step job's dataset port."""
        return DataProfile.model_validate(
            self._api.get(f"/api/jobs/{quote(step_job)}/designer-ports/{quote(port)}/profile"))
