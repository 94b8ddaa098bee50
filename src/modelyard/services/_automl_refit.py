"""Refitting an AutoML trial's model on demand ("Deploy this model" for a trial that was not the best).

A refit job (type ``automl_refit``) is a child of the trial job it refits, so the AutoML job's own
children stay its trials (the leaderboard) and ``job list --parent <trial>`` shows the refits.
Its spec pins what it fits: the AutoML job's spec (data versions included) and the trial's
configuration (algorithm, hyperparameters, and for an ensemble each member's with its weight).
When it completes, the model is in the trial's MLflow run at ``model`` and ``model_uri`` is on the
trial's properties (and the refit job's), exactly as for the best trial. An explaining refit
(``spec.explain``, asked by ``services.trial_explanations``) also explains the model into its output
``explanation`` the way the AutoML job explains its best model; it fits the model only when the trial
has none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from modelyard.errors import Conflict, InvalidInput
from modelyard.services._names import job_name
from modelyard.services.job_lifecycle import locked, new_job, queue
from modelyard.spec.automl import AutoMLRefitJob
from modelyard.spec.job_status import TERMINAL, TrialStatus
from modelyard.store import JobRow

if TYPE_CHECKING:
    from modelyard.services.jobs import JobService

REFIT_TYPE = "automl_refit"


def refit_trial(service: "JobService", name: str, explain: bool = False) -> JobRow:
    """The job that holds or will hold the model of trial ``name`` (``properties.model_uri``).

    That is the trial itself when it has a model already (the best trial, or one refit before),
    the refit job already running for it, or a new queued refit job. Refused: a job that is not an
    AutoML trial or a trial that did not complete (400), a trial whose AutoML job is still running
    (409: the best model is refit when the run ends, and trials are still being added).
    With ``explain`` it is always a new job that explains the model, refused (409) while another
    refit of the trial runs.
    """
    trial = service.get_row(name)
    if trial.type != "trial":
        raise InvalidInput(f"job '{name}' is a {trial.type} job, not an AutoML trial; refit takes one of an AutoML "
                           "job's trials ('modelyard job list --parent <automl job>' lists them)")
    automl = service.get_row(trial.parent)
    if automl.status not in TERMINAL:
        raise Conflict(f"AutoML job '{automl.name}' is still {automl.status}; refit its trials once it has ended")
    compute = service.checked_compute(automl.compute, "compute")
    with service.context.session() as session:
        trial = locked(session, name)  # one refit at a time per trial
        if (trial.properties or {}).get("model_uri") and not explain:
            return trial
        running = session.scalar(select(JobRow).where(JobRow.parent == name, JobRow.type == REFIT_TYPE,
                                                      JobRow.status.not_in(tuple(TERMINAL))))
        if running is not None and not explain:
            return running
        if running is not None:
            doing = "explained" if running.spec.get("explain") else "refit"
            raise Conflict(f"trial '{name}' is being {doing} by job '{running.name}' ({running.status}); "
                           "ask again once it has ended")
        configuration = _configuration(session, automl, trial)
        row = new_job(name=job_name(), type=REFIT_TYPE,
                      display_name=f"{'explain' if explain else 'refit'} {trial.display_name} ({trial.step})",
                      experiment_name=automl.experiment_name, compute=automl.compute, parent=name,
                      step="explain" if explain else "refit",
                      spec=AutoMLRefitJob(trial=name, configuration=configuration, automl=automl.spec, explain=explain)
                      .model_dump(mode="json", by_alias=True),
                      properties={"compute_type": compute.type, "trial": name})
        queue(row)
        session.add(row)
    return row


def _configuration(session, automl: JobRow, trial: JobRow) -> dict[str, Any]:
    """Algorithm and hyperparameters of a validated trial; an ensemble's members' too."""
    properties = trial.properties or {}
    members = properties.get("members") or []
    status = properties.get("trial_status") or trial.status
    # an ensemble whose members were not refit within the run's budget was still validated (it has a score)
    validated = status == TrialStatus.COMPLETED or (members and properties.get("score") is not None)
    if not validated:
        raise InvalidInput(f"trial '{trial.name}' did not complete ({status}); only a completed trial has a "
                           "validated configuration to refit")
    configuration = {"algorithm": trial.spec["algorithm"], "params": trial.spec["params"], "members": []}
    siblings = {row.step: row for row in session.scalars(select(JobRow).where(JobRow.parent == automl.name))}
    for member in members:
        found = siblings.get(member["trial_id"])
        if found is None or (found.properties or {}).get("trial_status") != TrialStatus.COMPLETED:
            raise InvalidInput(f"the {trial.spec['algorithm']} '{trial.name}' cannot be refit: its member "
                               f"{member['trial_id']} is not a completed trial of '{automl.name}'")
        configuration["members"].append({"algorithm": found.spec["algorithm"], "params": found.spec["params"],
                                         "weight": member["weight"]})
    return configuration
