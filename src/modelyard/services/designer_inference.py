"""Inference pipelines of the Designer: "create inference pipeline" on a completed training run of a draft
(a new draft, real-time or batch, reading the run's trained model and fitted transformations), and a
real-time one registered as ONE MLflow model that the online endpoints serve like any other."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from modelyard._json import plain
from modelyard.errors import Conflict, InvalidInput
from modelyard.services._context import ServiceContext
from modelyard.services._designer_pipeline import PARAMETERS_TAG
from modelyard.services.data import DataAssetService
from modelyard.services.designer_drafts import DesignerDraftService
from modelyard.services.designer_ports import DesignerPortService
from modelyard.services.jobs import JobService
from modelyard.spec._common import AssetRef
from modelyard.spec.designer_draft import DesignerDraft, DesignerDraftCreate, DraftModelRegister, InferencePipelineCreate
from modelyard.spec.job_status import JobStatus
from modelyard.spec.model import Model, ModelCreate

BUILDER = "modelyard.runtime.designer_model_builder"
BUILD_SECONDS = 300
EXAMPLE_ROWS = 5
SAVED_PORT_TYPE = {"trained_model": "ModelDirectory", "fitted_transformation": "TransformationDirectory"}


class DesignerInferenceService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.drafts = DesignerDraftService(context)

    def create(self, request: InferencePipelineCreate) -> DesignerDraft:
        """Save the ``request.kind`` inference pipeline of training run ``request.job`` as a new draft (version)."""
        from modelyard.designer import inference_graph
        from modelyard.designer._pipeline_parameters import resolve

        jobs = JobService(self.context)
        run = jobs.get_row(request.job)
        reference = (run.tags or {}).get("designer_draft")
        if run.type != "pipeline" or not reference:
            raise InvalidInput(f"job '{run.name}' is not a Designer training run (a pipeline job that `modelyard "
                               "designer submit` started from a draft); name one of those")
        if run.status != JobStatus.COMPLETED:
            raise Conflict(f"training run '{run.name}' is {run.status}; an inference pipeline reads its trained model, "
                           f"so create it once the run has completed (`modelyard job stream {run.name}`)")
        ref = AssetRef.parse(reference)
        draft = self.drafts.get(ref.name, ref.version)
        if draft.kind != "training":
            raise InvalidInput(f"job '{run.name}' ran designer draft {reference}, a {draft.kind} inference pipeline; "
                               "create inference pipelines from a training run")
        steps = {child.step: child.name for child in jobs.children(run.name)}
        trained = resolve(draft.graph, json.loads((run.tags or {}).get(PARAMETERS_TAG) or "{}"))
        schemas, _ = self.drafts.dataset_schemas(trained)
        graph = inference_graph(trained, steps, schemas, request.kind,
                                f"designer draft {reference} (training run '{run.name}')",
                                imported=lambda node_id: self._imported_rows(node_id, steps[node_id]))
        kept = {node.id for node in graph.nodes}
        return self.drafts.create(DesignerDraftCreate(
            name=request.name or f"{draft.name}-{request.kind}", graph=graph,
            layout={node: place for node, place in draft.layout.items() if node in kept},
            description=f"{request.kind} inference pipeline of training run {run.name} ({reference})"))

    def _imported_rows(self, node_id: str, job: str):
        """The first rows Import Data step ``job`` read in the training run: what a real-time pipeline holds in
        its place (the source may have changed or gone since)."""
        import pandas as pd

        try:
            page = DesignerPortService(self.context).read(job, "results_dataset", limit=EXAMPLE_ROWS)
        except FileNotFoundError:
            raise Conflict(f"the table that node '{node_id}' (Import Data) read in step job '{job}' is no longer in "
                           "the artifact store; submit the training draft again and create the inference pipeline "
                           "from that run") from None
        return pd.DataFrame(page["rows"], columns=[column["name"] for column in page["columns"]])

    def register_model(self, name: str, request: DraftModelRegister) -> Model:
        """Register real-time draft ``name`` as one MLflow model: the modules from Web Service Input to Score
        Model (its fitted transformations among them) in front of the trained model."""
        from modelyard.services.models import ModelService

        draft = self.drafts.get(name, request.version)
        what = f"designer draft {draft.name}:{draft.version}"
        if draft.kind != "real-time":
            raise InvalidInput(f"{what} is a {draft.kind} pipeline, not a real-time inference pipeline; make one "
                               "from a completed training run with `modelyard designer create-inference <run job>`")
        self.drafts.refuse_problems(draft.graph, what)
        schemas, _ = self.drafts.dataset_schemas(draft.graph)
        with tempfile.TemporaryDirectory(prefix="designer-model-", dir=self._scratch()) as scratch:
            folder = Path(scratch) / "model"
            self._build(draft, schemas, what, Path(scratch), folder)
            return ModelService(self.context).create(ModelCreate(
                name=request.model_name or draft.name, path=str(folder),
                description=request.description or f"{what}: its transformations and trained model as one model",
                tags={"designer_draft": f"{draft.name}:{draft.version}"}))

    def _scratch(self) -> Path:
        self.context.cache_dir.mkdir(parents=True, exist_ok=True)
        return self.context.cache_dir

    def _build(self, draft: DesignerDraft, schemas: dict[str, Any], what: str, scratch: Path, folder: Path) -> None:
        spec = {"graph": draft.graph.model_dump(mode="json"), "schemas": schemas, "what": what,
                "output": str(folder), "example": self._example(draft, what),
                "saved": {node.id: [SAVED_PORT_TYPE[node.module], str(self._fetch(node, scratch))]
                          for node in draft.graph.nodes if node.module in SAVED_PORT_TYPE}}
        (scratch / "spec.json").write_text(json.dumps(spec, default=str))
        try:
            done = subprocess.run([sys.executable, "-m", BUILDER, str(scratch / "spec.json")], capture_output=True,
                                  text=True, timeout=BUILD_SECONDS)
        except subprocess.TimeoutExpired:
            raise InvalidInput(f"{what}: building its model took over {BUILD_SECONDS} s; try again") from None
        if done.returncode == 2:
            raise InvalidInput(done.stderr.strip())
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise InvalidInput(f"{what}: its model could not be built: {last}")

    def _fetch(self, node, scratch: Path) -> Path:
        """The step output a saved node reads, in a local folder."""
        row = JobService(self.context).get_row(node.parameters["job"])
        prefix = row.outputs[node.parameters.get("port") or "trained_model"]["key"]
        target = scratch / "saved" / node.id
        for key in self.context.artifacts.list(prefix):
            destination = target / key[len(prefix):].lstrip("/")
            destination.parent.mkdir(parents=True, exist_ok=True)
            with self.context.artifacts.open(key) as source, destination.open("wb") as out:
                shutil.copyfileobj(source, out)
        return target

    def _example(self, draft: DesignerDraft, what: str) -> dict[str, Any]:
        """The first rows of the table connected to Web Service Input (a dataset, or the rows held in place of
        Import Data): the request's shape, for the signature."""
        from modelyard.designer import run_module

        nodes = {node.id: node for node in draft.graph.nodes}
        feed = next((nodes[e.source] for e in draft.graph.edges if nodes[e.target].module == "web_service_input"),
                    None)
        if feed is None or feed.module not in ("dataset", "enter_data_manually"):
            raise InvalidInput(f"{what}: nothing shows the request's columns; connect a dataset or Enter Data Manually "
                               "to Web Service Input")
        if feed.module == "enter_data_manually":
            frame = run_module(feed.module, parameters=feed.parameters)["dataset"].head(EXAMPLE_ROWS)
            return {"columns": list(frame.columns), "rows": plain(frame.values.tolist())}
        ref = AssetRef.parse(str(feed.parameters["asset"]).removeprefix("azureml:"))
        preview = DataAssetService(self.context).preview(ref.name, ref.version, rows=EXAMPLE_ROWS)
        return {"columns": [c["name"] for c in preview["columns"]], "rows": preview["rows"]}
