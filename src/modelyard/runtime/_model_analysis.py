"""An explanation, fairness or error-analysis job: the process that loads the model and the data and runs the engine.

It runs as the job's command on its compute (``python -m modelyard.runtime.analysis_runner``), so
logs, heartbeats, cancel and outputs work as for any job. The model version is copied out of the
registry with its sha256 checked and loaded through the explain engine; the result is written as
``outputs.<kind>/result.json`` only once it is complete, so a failed job leaves no result. How long
each phase took goes to the job's properties (``timings``).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

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
    if kind == "fairness":
        return explain.assess_fairness(model, frame, target=target, sensitive=settings["sensitive"],
                                       bins=settings.get("bins") or None, threshold=settings.get("threshold", 0.5),
                                       positive_label=settings.get("positive_label"))
    return explain.analyze_errors(model, frame, target=target, max_depth=settings.get("max_depth", 3),
                                  min_rows=settings.get("min_rows"))


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
        model = explain.load_explainable(copy_model(context, spec.model, folder / "model"))
        frame = load_table(context, spec.data.path, data_path, spec.target)
        loaded = time.monotonic()
        print(f"{spec.type} of model {spec.model} on {spec.data.path.removeprefix('data:')}: {len(frame)} rows x "
              f"{frame.shape[1]} columns", flush=True)
        result = analyse(spec.type, model, frame, spec.target, spec.settings)
        done = time.monotonic()
        write_result(output_path, result)
        timings = {"loading_seconds": round(loaded - started, 3), "analysis_seconds": round(done - loaded, 3),
                   "writing_seconds": round(time.monotonic() - done, 3)}
        lifecycle.merge_properties(context, job_name, timings=timings)
        print(f"{spec.type} done in {timings['analysis_seconds']} s", flush=True)
        return 0
    finally:
        context.close()


def main() -> None:
    run_with_options("python -m modelyard.runtime.analysis_runner", run, "--job", "--data", "--output")
