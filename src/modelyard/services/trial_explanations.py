"""The explanation of an AutoML trial's model, read and requested.

The best model's is made by its AutoML job when the run ends (``model_explainability``); any completed
trial's on demand, by an explaining refit job (``services._automl_refit``), which fits the trial's model
only when the trial kept none. Either job's output ``explanation/result.json`` is the result, the same
record a model version's explanation job stores (``model_analyses.result_key``); the jobs themselves are
the pointers from the trial to it, the newest explaining refit first, so nothing else is stored.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from modelyard.errors import Conflict, InvalidInput, NotFound
from modelyard.services._automl_refit import REFIT_TYPE, refit_trial
from modelyard.services._context import ServiceContext
from modelyard.services.compute import as_utc
from modelyard.services.jobs import JobService
from modelyard.services.model_analyses import result_key
from modelyard.spec.job_record import Job
from modelyard.spec.job_status import TERMINAL, JobStatus
from modelyard.spec.model_analysis import TrialExplanation
from modelyard.store import JobRow

KIND = "explanation"  # the output both jobs write it to


class TrialExplanationService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.jobs = JobService(context)

    def create(self, trial: str) -> Job:
        """Queue the job that explains trial ``trial``'s model (refitting it first when the trial kept none).
        Refused: a trial explained already or being explained (409), and what ``refit_trial`` refuses."""
        found = self._explaining(self._trial(trial))
        if found is not None and found.status == JobStatus.COMPLETED:
            raise Conflict(f"trial '{trial}' is explained already (job '{found.job}'); read it at "
                           f"GET /api/jobs/{trial}/explanation/result")
        if found is not None and found.status not in TERMINAL:
            raise Conflict(f"trial '{trial}' is being explained already by job '{found.job}' ({found.status}); "
                           "wait for it to complete")
        return self.jobs.get(refit_trial(self.jobs, trial, explain=True).name)

    def get(self, trial: str) -> TrialExplanation:
        """The trial's newest explanation, done or in progress; ``NotFound`` when it has none."""
        found = self._explaining(self._trial(trial))
        if found is None:
            raise NotFound(f"trial '{trial}' has no explanation; ask for one with POST /api/jobs/{trial}/explanation "
                           "(the studio's 'Explain this model')")
        return found

    def result(self, trial: str) -> dict[str, Any]:
        """The stored explanation of the trial's model (the record of ``spec.explain.Explanation``)."""
        found = self.get(trial)
        if found.status != JobStatus.COMPLETED:
            raise Conflict(f"the explanation of trial '{trial}' (job '{found.job}') is {found.status}"
                           + (f": {found.error}" if found.error else "; wait for it to complete"))
        with self.context.artifacts.open(result_key(found.job, KIND)) as handle:
            return json.load(handle)

    def _trial(self, name: str) -> JobRow:
        row = self.jobs.get_row(name)
        if row.type != "trial":
            raise InvalidInput(f"job '{name}' is a {row.type} job, not an AutoML trial; explanations of a trial "
                               "are asked of one of an AutoML job's trials ('modelyard job list --parent <automl "
                               "job>' lists them)")
        return row

    def _explaining(self, trial: JobRow) -> TrialExplanation | None:
        """The newest explaining refit of the trial, else its AutoML job when it explained this trial's model."""
        with self.context.session() as session:
            refits = session.scalars(select(JobRow).where(JobRow.parent == trial.name, JobRow.type == REFIT_TYPE)
                                     .order_by(JobRow.id.desc()))
            refit = next((row for row in refits if row.spec.get("explain")), None)
        if refit is not None:
            return self._record(trial, refit, refit.status, refit.error)
        automl = self.jobs.get_row(trial.parent)
        properties = automl.properties or {}
        explained = properties.get("explanation")
        if properties.get("best_child_job") != trial.name or not explained:
            return None
        return self._record(trial, automl, explained["status"], explained.get("error"))

    def _record(self, trial: JobRow, job: JobRow, status: str, error: str | None) -> TrialExplanation:
        return TrialExplanation(trial=trial.name, job=job.name, status=status, error=error,
                                created_at=as_utc(job.created_at),
                                result_uri=self.context.artifacts.uri(result_key(job.name, KIND))
                                if status == JobStatus.COMPLETED else None)
