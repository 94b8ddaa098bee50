"""An explanation, fairness or error-analysis job: the process that loads the model and the data and runs the engine.

It runs as the job's command on its compute (``python -m modelyard.runtime.analysis_runner``), so
logs, heartbeats, cancel and outputs work as for any job. The model version is copied out of the
registry with its sha256 checked and loaded through the explain engine; the result is written as
``outputs.<kind>/result.json`` only once it is complete, so a failed job leaves no result. How long
each step took goes to the job's properties (``timings``), with the wall and CPU seconds of each phase
(``timings.phases``: reading the model and the data, the engine's own phases, writing the result).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from modelyard._phases import phase, recording
from modelyard.runtime._automl import load_table
from modelyard.runtime._batch import copy_model
from modelyard.runtime._entry import run_with_options
from modelyard.services import ServiceContext, job_lifecycle as lifecycle, workspace as workspaces
from modelyard.services import job_runs as runs
from modelyard.services.jobs import job_folder
from modelyard.services.model_analyses import RESULT_FILE
from modelyard.spec.model_analysis import DATA_INPUT, ModelAnalysisJob


def command_for(spec: ModelAnalysisJob, name: str) -> dict[str, Any]:
    """The command job an analysis runs as: the runner over the data input, writing the ``<kind>`` output."""
    command = (f"python -m modelyard.runtime.analysis_runner --job {name} --data ${{{{inputs.{DATA_INPUT}}}}} "
               f"--output ${{{{outputs.{spec.type}}}}}")
    return {"type": "command", "command": command, "compute": spec.compute, "environment": "system",
            "inputs": {DATA_INPUT: spec.data.model_dump(mode="json")}, "outputs": {spec.type: None}}


def analyse(kind: str, model, frame, target: str | None, settings: dict[str, Any]):
    """The engine's record for one analysis of ``model`` over ``frame``."""
    from modelyard import explain

    if kind == "explanation":
        sample = settings.get("sample")
        limits = {"local_rows": sample, "agnostic_rows": sample} if sample else {}
        rows = frame.drop(columns=[target]) if target in frame.columns else frame
        return explain.explain_model(model, rows, method=settings.get("method", "auto"),
                                     output=settings.get("output", "raw"), **limits)
    if kind == "mitigation":
        [feature] = settings["sensitive"]
        return explain.mitigate_thresholds(model, frame, target=target, sensitive=feature,
                                           bins=(settings.get("bins") or {}).get(feature),
                                           constraints=settings.get("constraints", "demographic_parity"),
                                           objective=settings.get("objective", "accuracy_score"),
                                           positive_label=settings.get("positive_label"),
                                           threshold=settings.get("threshold", 0.5), seed=settings.get("seed", 0))
    if kind == "fairness":
        return explain.assess_fairness(model, frame, target=target, sensitive=settings["sensitive"],
                                       bins=settings.get("bins") or None, threshold=settings.get("threshold", 0.5),
                                       positive_label=settings.get("positive_label"))
    return explain.analyze_errors(model, frame, target=target, max_depth=settings.get("max_depth", 3),
                                  min_rows=settings.get("min_rows"))


def register_mitigated(context: ServiceContext, spec: ModelAnalysisJob, job_name: str, mitigated, frame,
                       folder: Path) -> str:
    """The mitigated model saved as an MLflow model (its input: the original's columns and the sensitive feature)
    and registered as a new version whose properties point to the original; its ``name:version``."""
    import mlflow.sklearn
    from mlflow.models import infer_signature

    from modelyard.automl._mlflow import requirements
    from modelyard.services.models import ModelService
    from modelyard.spec.model import ModelCreate

    inputs = frame[list(mitigated.feature_names_in_)]
    mlflow.sklearn.save_model(mitigated, str(folder), serialization_format="cloudpickle",
                              signature=infer_signature(inputs.head(100), mitigated.predict(inputs.head(100))),
                              input_example=inputs.head(2), pip_requirements=requirements())
    settings = spec.settings
    model = ModelService(context).create(ModelCreate(
        name=settings.get("model_name") or spec.model.rsplit(":", 1)[0], path=str(folder), force_new_version=True,
        description=f"{spec.model} with fairlearn's ThresholdOptimizer ({settings.get('constraints')}) for "
                    f"{mitigated.sensitive}; it reads the sensitive feature too",
        tags={"mitigation": "ThresholdOptimizer"},
        properties={"mitigated_from": spec.model, "mitigation_job": job_name, "sensitive_feature": mitigated.sensitive,
                    "constraints": str(settings.get("constraints")), "objective": str(settings.get("objective"))}))
    return f"{model.name}:{model.version}"


def write_result(folder: str, record) -> None:
    """The record as ``folder/result.json``, whole or not at all (written aside, then renamed)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    scratch = target / f".{RESULT_FILE}.part"
    scratch.write_text(json.dumps(record.model_dump(mode="json")))
    scratch.rename(target / RESULT_FILE)


def run(job_name: str, data_path: str, output_path: str) -> int:
    from modelyard import explain

    started = time.monotonic()
    context = ServiceContext.open(workspaces.find())
    try:
        row = runs.get(context, job_name)
        spec = ModelAnalysisJob.model_validate(row.spec)
        folder = job_folder(context, job_name) / f"attempt-{row.attempt}"
        with recording() as phases:
            with phase("loading_model"):
                model = explain.load_explainable(copy_model(context, spec.model, folder / "model"))
            with phase("reading_data"):
                frame = load_table(context, spec.data.path, data_path, spec.target)
            loaded = time.monotonic()
            print(f"{spec.type} of model {spec.model} on {spec.data.path.removeprefix('data:')}: {len(frame)} rows "
                  f"x {frame.shape[1]} columns", flush=True)
            result = analyse(spec.type, model, frame, spec.target, spec.settings)
            if spec.type == "mitigation":
                mitigated, result = result
                registered = register_mitigated(context, spec, job_name, mitigated, frame, folder / "mitigated")
                result = result.model_copy(update={"original_model": spec.model, "mitigated_model": registered})
            done = time.monotonic()
            with phase("writing"):
                write_result(output_path, result)
        timings = {"loading_seconds": round(loaded - started, 3), "analysis_seconds": round(done - loaded, 3),
                   "writing_seconds": round(time.monotonic() - done, 3),
                   "phases": {name: {kind: round(seconds, 3) for kind, seconds in spent.items()}
                              for name, spent in phases.items()}}
        lifecycle.merge_properties(context, job_name, timings=timings)
        print(f"{spec.type} done in {timings['analysis_seconds']} s", flush=True)
        return 0
    finally:
        context.close()


def main() -> None:
    run_with_options("python -m modelyard.runtime.analysis_runner", run, "--job", "--data", "--output")
