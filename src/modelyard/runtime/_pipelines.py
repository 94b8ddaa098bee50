"""Driving pipeline jobs: queue each step when its inputs are ready, reuse unchanged steps, end the parent."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from modelyard.services import ServiceContext, job_runs as runs
from modelyard.services._tracking import end_run, start_run
from modelyard.services.data import DataAssetService
from modelyard.services.job_runs import JobState
from modelyard.spec.job import PipelineSettings
from modelyard.spec.job_status import TERMINAL, JobStatus
from modelyard.spec.pipeline_graph import binding, upstream

log = logging.getLogger("modelyard.pipelines")


class PipelineDriver:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def step(self) -> bool:
        names = runs.driven_pipelines(self.context)
        for name in names:
            try:
                self.advance(name)
            except Exception:
                log.exception("pipeline %s could not advance", name)
        return bool(names)

    def advance(self, name: str) -> None:
        parent = runs.state(self.context, name)
        steps = {c.step: c for c in runs.children(self.context, name)}
        settings = PipelineSettings.model_validate(parent.spec.get("settings") or {})
        if parent.mlflow_run_id is None:
            self._start_tracking(parent)
        failed = [s for s in steps.values() if s.status == JobStatus.FAILED]
        if failed and not settings.continue_on_step_failure:
            self._stop_all(steps, f"step '{failed[0].step}' failed")
        else:
            for step in steps.values():
                if step.status == JobStatus.NOT_STARTED:
                    self._maybe_start(parent, step, steps, settings)
        steps = {c.step: c for c in runs.children(self.context, name)}
        if all(s.status in TERMINAL for s in steps.values()):
            self._finish(name, steps)

    def _start_tracking(self, parent: JobState) -> None:
        runs.record(self.context, parent.name, mlflow_run_id=start_run(self.context.location, parent, None))

    def _maybe_start(self, parent: JobState, step: JobState, steps: dict[str, JobState], settings: PipelineSettings) -> None:
        needs = upstream(step.spec)
        states = {steps[n].status for n in needs}
        if states & {JobStatus.FAILED, JobStatus.CANCELED}:
            bad = next(n for n in sorted(needs) if steps[n].status in (JobStatus.FAILED, JobStatus.CANCELED))
            runs.finish(self.context, step.name, JobStatus.CANCELED, error=f"upstream step '{bad}' did not complete")
            return
        if not all(steps[n].status == JobStatus.COMPLETED for n in needs):
            return
        inputs = {key: self._bind(value, parent, steps) for key, value in step.spec.get("inputs", {}).items()}
        spec = {**step.spec, "inputs": inputs}
        key = reuse_key(self.context, spec)
        earlier = None if settings.force_rerun or not spec.get("deterministic", True) else self._reusable(key)
        runs.queue_step(self.context, step.name, spec, key, earlier)

    @staticmethod
    def _bind(value: Any, parent: JobState, steps: dict[str, JobState]) -> Any:
        parts = binding(value)
        if parts is None:
            return value
        if "input" in parts:
            return parent.spec["inputs"][parts["input"]]
        source = steps[parts["step"]]
        declared = (source.spec.get("outputs") or {}).get(parts["output"]) or {}
        return {"type": declared.get("type", "uri_folder"), "path": f"job:{source.name}/outputs/{parts['output']}"}

    def _reusable(self, key: str) -> JobState | None:
        return runs.reusable(self.context, key)

    def _stop_all(self, steps: dict[str, JobState], reason: str) -> None:
        runs.cancel_unfinished(self.context, [step.name for step in steps.values()], f"not run: {reason}")

    def _finish(self, name: str, steps: dict[str, JobState]) -> None:
        failed = sorted((s for s in steps.values() if s.status != JobStatus.COMPLETED),
                        key=lambda s: (s.status != JobStatus.FAILED, s.step))
        status = JobStatus.COMPLETED if not failed else JobStatus.FAILED
        error = None if not failed else "step(s) did not complete: " + "; ".join(
            f"{s.step} ({s.status}: {_summary(s.error)})" for s in failed)
        outputs = {f"{s.step}.{k}": v for s in steps.values() for k, v in (s.outputs or {}).items()}
        parent = runs.finish(self.context, name, status, error=error, outputs=outputs)
        if parent is not None and parent.mlflow_run_id:
            end_run(self.context.location, parent.mlflow_run_id, status)


def _summary(error: str | None) -> str:
    """The first line of a step's error and, for a log tail, its last line (usually the exception)."""
    lines = [line.strip() for line in (error or "").splitlines() if line.strip()]
    if len(lines) > 1:
        return f"{lines[0].rstrip(':')}: {lines[-1]}"[:300]
    return lines[0][:300] if lines else "no reason recorded"


def reuse_key(context: ServiceContext, spec: dict[str, Any]) -> str:
    """Identity of a step's work: its command, code, environment and the content of its inputs."""
    identity = {k: spec.get(k) for k in ("command", "code", "environment", "environment_variables", "outputs")}
    identity["inputs"] = {k: _input_identity(context, v) for k, v in sorted((spec.get("inputs") or {}).items())}
    return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()


def _input_identity(context: ServiceContext, value: Any) -> Any:
    if not isinstance(value, dict) or "path" not in value:
        return value
    path = value["path"]
    if path.startswith("data:"):
        name, version = path.removeprefix("data:").rsplit(":", 1)
        return DataAssetService(context).content_hash(name, int(version))
    if path.startswith("job:"):
        job, _, output = path.removeprefix("job:").partition("/outputs/")
        source = runs.state(context, job)
        return ((source.outputs if source else {}).get(output) or {}).get("hash") or path
    return path
