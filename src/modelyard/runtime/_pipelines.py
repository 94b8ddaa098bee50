"""Driving pipeline jobs: queue each step when its inputs are ready, reuse unchanged steps, end the parent."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from sqlalchemy import select

from modelyard.services import ServiceContext, job_lifecycle as lifecycle
from modelyard.services._tracking import end_run, start_run
from modelyard.spec.job import PipelineSettings
from modelyard.spec.job_status import TERMINAL, JobStatus
from modelyard.spec.pipeline_graph import binding, upstream
from modelyard.store import DataVersionRow, JobRow

log = logging.getLogger("modelyard.pipelines")


class PipelineDriver:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def step(self) -> bool:
        with self.context.session() as session:
            names = list(session.scalars(select(JobRow.name).where(JobRow.type == "pipeline",
                                                                   JobRow.status.in_((JobStatus.NOT_STARTED, JobStatus.RUNNING)))))
        for name in names:
            try:
                self.advance(name)
            except Exception:
                log.exception("pipeline %s could not advance", name)
        return bool(names)

    def advance(self, name: str) -> None:
        with self.context.session() as session:
            parent = session.scalar(select(JobRow).where(JobRow.name == name))
            steps = {c.step: c for c in session.scalars(select(JobRow).where(JobRow.parent == name))}
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
        with self.context.session() as session:
            steps = {c.step: c for c in session.scalars(select(JobRow).where(JobRow.parent == name))}
        if all(s.status in TERMINAL for s in steps.values()):
            self._finish(name, steps)

    def _start_tracking(self, parent: JobRow) -> None:
        run_id = start_run(self.context.location, parent, None)
        lifecycle.change(self.context, parent.name, lambda row: setattr(row, "mlflow_run_id", run_id))

    def _maybe_start(self, parent: JobRow, step: JobRow, steps: dict[str, JobRow], settings: PipelineSettings) -> None:
        needs = upstream(step.spec)
        states = {steps[n].status for n in needs}
        if states & {JobStatus.FAILED, JobStatus.CANCELED}:
            bad = next(n for n in sorted(needs) if steps[n].status in (JobStatus.FAILED, JobStatus.CANCELED))
            lifecycle.change(self.context, step.name, lambda row: lifecycle.finish(
                row, JobStatus.CANCELED, error=f"upstream step '{bad}' did not complete"))
            return
        if not all(steps[n].status == JobStatus.COMPLETED for n in needs):
            return
        inputs = {key: self._bind(value, parent, steps) for key, value in step.spec.get("inputs", {}).items()}
        spec = {**step.spec, "inputs": inputs}
        key = reuse_key(self.context, spec)
        earlier = None if settings.force_rerun or not spec.get("deterministic", True) else self._reusable(key)
        with self.context.session() as session:
            row = lifecycle.locked(session, step.name)
            if row.status != JobStatus.NOT_STARTED:
                return
            row.spec, row.reuse_key = spec, key
            if earlier is not None:
                lifecycle.reuse(row, earlier)
            else:
                lifecycle.queue(row)

    @staticmethod
    def _bind(value: Any, parent: JobRow, steps: dict[str, JobRow]) -> Any:
        parts = binding(value)
        if parts is None:
            return value
        if "input" in parts:
            return parent.spec["inputs"][parts["input"]]
        source = steps[parts["step"]]
        declared = (source.spec.get("outputs") or {}).get(parts["output"]) or {}
        return {"type": declared.get("type", "uri_folder"), "path": f"job:{source.name}/outputs/{parts['output']}"}

    def _reusable(self, key: str) -> JobRow | None:
        with self.context.session() as session:
            return session.scalar(select(JobRow).where(JobRow.reuse_key == key, JobRow.status == JobStatus.COMPLETED,
                                                       JobRow.reused_from.is_(None), JobRow.archived.is_(False))
                                  .order_by(JobRow.id.desc()).limit(1))

    def _stop_all(self, steps: dict[str, JobRow], reason: str) -> None:
        with self.context.session() as session:
            for step in steps.values():
                row = lifecycle.locked(session, step.name)
                if row.status not in TERMINAL:
                    lifecycle.cancel(row, f"not run: {reason}")

    def _finish(self, name: str, steps: dict[str, JobRow]) -> None:
        failed = sorted((s for s in steps.values() if s.status != JobStatus.COMPLETED),
                        key=lambda s: (s.status != JobStatus.FAILED, s.step))
        status = JobStatus.COMPLETED if not failed else JobStatus.FAILED
        error = None if not failed else "step(s) did not complete: " + "; ".join(
            f"{s.step} ({s.status}: {_summary(s.error)})" for s in failed)
        with self.context.session() as session:
            parent = lifecycle.locked(session, name)
            outputs = {f"{s.step}.{k}": v for s in steps.values() for k, v in (s.outputs or {}).items()}
            if not lifecycle.finish(parent, status, error=error, outputs=outputs):
                return
            run_id = parent.mlflow_run_id
        if run_id:
            end_run(self.context.location, run_id, status)


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
    with context.session() as session:
        if path.startswith("data:"):
            name, version = path.removeprefix("data:").rsplit(":", 1)
            return session.scalar(select(DataVersionRow.content_hash).where(DataVersionRow.name == name,
                                                                            DataVersionRow.version == int(version)))
        if path.startswith("job:"):
            job, _, output = path.removeprefix("job:").partition("/outputs/")
            outputs = session.scalar(select(JobRow.outputs).where(JobRow.name == job)) or {}
            return (outputs.get(output) or {}).get("hash") or path
    return path
