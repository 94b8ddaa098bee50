"""``Experiment(workspace, name)``: runs logged from here (``start_logging``) and submitted jobs
(``submit`` of a ScriptRunConfig, an Estimator or an AutoMLConfig) under one experiment name."""

from __future__ import annotations

from typing import Any

from modelyard.azureml._v1 import RefuseOtherMembers, not_honoured
from modelyard.errors import InvalidInput


class Experiment(RefuseOtherMembers):
    def __init__(self, workspace: Any, name: str, **_: Any) -> None:
        self.workspace = workspace
        self.name = name

    def start_logging(self, *args: Any, outputs: Any = None, snapshot_directory: Any = None,
                      display_name: str | None = None, **kwargs: Any):
        """A run logged from this process, a job of type ``interactive`` (Running); end it with ``run.complete()``."""
        from modelyard.azureml.core._run import Run

        not_honoured("Experiment.start_logging", {"snapshot_directory": snapshot_directory},
                     {"snapshot_directory": "no code snapshot is kept for a run logged from a notebook"})
        job = self.workspace.sdk.jobs.start_interactive(experiment_name=self.name, display_name=display_name)
        return Run(self, job=job.name, mlflow_run_id=job.mlflow_run_id, interactive=True)

    def submit(self, config: Any, tags: dict[str, str] | None = None, show_output: bool = False, **kwargs: Any):
        """Submit a ScriptRunConfig/Estimator (a command job) or an AutoMLConfig (an AutoML job)."""
        to_job = getattr(config, "_job_document", None)
        if to_job is None:
            raise InvalidInput(f"Experiment.submit: cannot submit a {type(config).__name__}; submit a ScriptRunConfig, "
                               "an Estimator or an AutoMLConfig")
        document = {**to_job(self.workspace), "experiment_name": self.name}
        if tags:
            document["tags"] = {**document.get("tags", {}), **{k: str(v) for k, v in tags.items()}}
        job = self.workspace.sdk.jobs.create(document)
        run = config._run_class()(self, job=job.name)
        if show_output:
            run.wait_for_completion(show_output=True)
        return run

    def get_runs(self, **_: Any):
        from modelyard.azureml.core._run import Run

        for job in self.workspace.sdk.jobs.list(experiment_name=self.name):
            yield Run(self, job=job.name, mlflow_run_id=job.mlflow_run_id, interactive=job.type == "interactive")

    def __repr__(self) -> str:
        return f"Experiment(Name: {self.name}, Workspace: {self.workspace.name})"
