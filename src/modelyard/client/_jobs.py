"""SDK for jobs and components: ``ws.jobs.create("job.yml")``, ``ws.jobs.stream(name)``.

Local things a job names (its code folder, local input files, a requirements file, component
files) are packed and uploaded here, so that the same job file works against a server anywhere.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Callable, TextIO
from urllib.parse import quote

from modelyard.client._http import ApiClient
from modelyard.errors import InvalidInput
from modelyard.spec.component import Component, ComponentCreate
from modelyard.spec.explain import Explanation
from modelyard.spec._common import validate_spec
from modelyard.spec.job import DATA_PREFIXES, Experiment, JobUpdate
from modelyard.spec.job_record import Job
from modelyard.spec.job_create import JOB_CREATE
from modelyard.spec.job_status import TERMINAL, JobStatus
from modelyard.spec.model_analysis import TrialExplanation

REMOTE_PREFIXES = DATA_PREFIXES + ("snapshot:", "job:", "http://", "https://")
STREAM_POLL_SECONDS = 0.5


def load_document(source: str | Path | dict[str, Any]) -> tuple[dict[str, Any], Path]:
    """A job/component document and the folder its relative paths are relative to."""
    if isinstance(source, dict):
        return dict(source), Path.cwd()
    import yaml

    path = Path(source)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"file {path} does not exist") from None
    except yaml.YAMLError as error:
        raise InvalidInput(f"{path} is not valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise InvalidInput(f"{path} must hold a YAML mapping of fields")
    return document, path.resolve().parent


class _Uploader:
    def __init__(self, api: ApiClient, base: Path) -> None:
        self.api = api
        self.base = base

    def snapshot(self, path: str, field: str) -> str:
        from modelyard._snapshot import digest, pack

        local = (self.base / path).resolve() if not Path(path).is_absolute() else Path(path)
        if not local.exists():
            raise InvalidInput(f"{field}: {path} does not exist (relative paths are relative to {self.base})")
        content = pack(local)
        name = f"{digest(content)}.tar.gz"
        return self.api.post("/api/snapshots", files={"file": (name, content, "application/gzip")})["id"]

    def command(self, document: dict[str, Any], field: str) -> dict[str, Any]:
        document = dict(document)
        if isinstance(document.get("code"), str) and not document["code"].startswith("snapshot:"):
            document["code"] = self.snapshot(document["code"], f"{field}code")
        environment = document.get("environment")
        if isinstance(environment, dict) and environment.get("requirements"):
            requirements = self.base / environment["requirements"]
            try:
                lines = requirements.read_text(encoding="utf-8").splitlines()
            except FileNotFoundError:
                raise InvalidInput(f"{field}environment.requirements: {requirements} does not exist") from None
            pip = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
            document["environment"] = {**environment, "requirements": None, "pip": [*environment.get("pip", []), *pip]}
        document["inputs"] = {key: self.input(value, f"{field}inputs.{key}")
                              for key, value in (document.get("inputs") or {}).items()}
        return document

    def input(self, value: Any, field: str) -> Any:
        path = value.get("path") if isinstance(value, dict) else None
        if isinstance(path, str) and not path.startswith(REMOTE_PREFIXES) and "${{" not in path:
            return {**value, "path": self.snapshot(path, field)}
        return value

    def component_file(self, reference: str, field: str) -> dict[str, Any] | None:
        if reference.startswith("azureml:") or not reference.endswith((".yml", ".yaml")):
            return None
        document, base = load_document(self.base / reference)
        return _Uploader(self.api, base).command(document, field)


class JobOperations:
    def __init__(self, api: Callable[[], ApiClient]) -> None:
        self._api = api

    def create(self, job: Any, **overrides: Any) -> Job:
        """Submit a job: a YAML file, a dict, or a spec object such as ``automl.classification(...)``."""
        api = self._api()
        return Job.model_validate(api.post("/api/jobs", json=self.uploaded(job, api, **overrides)))

    def uploaded(self, job: Any, api: ApiClient, base: Path | None = None, **overrides: Any) -> dict[str, Any]:
        """The job's document with the local things it names uploaded (relative to its file, or ``base``)."""
        if hasattr(job, "model_dump"):
            job = job.model_dump(mode="json", by_alias=True, exclude_none=True)
        document, found = load_document(job)
        base = found if base is None or not isinstance(job, dict) else base
        document.update({k: v for k, v in overrides.items() if v is not None})
        validate_spec(JOB_CREATE, document, "job")  # a bad job is refused before anything is uploaded
        uploader = _Uploader(api, base)
        if document.get("type") == "automl":
            for field in ("training_data", "validation_data"):
                value = document.get(field)
                if isinstance(value, str) and not value.startswith(REMOTE_PREFIXES):
                    document[field] = uploader.input({"type": "uri_file", "path": value}, field)
                elif isinstance(value, dict):
                    document[field] = uploader.input(value, field)
        elif document.get("type", "command") == "pipeline":
            document["inputs"] = {k: uploader.input(v, f"inputs.{k}") for k, v in (document.get("inputs") or {}).items()}
            steps = {}
            for name, step in (document.get("jobs") or {}).items():
                if not isinstance(step, dict):
                    steps[name] = step
                    continue
                inline = uploader.component_file(step["component"], f"jobs.{name}.component.") \
                    if isinstance(step.get("component"), str) else None
                if inline is not None:
                    step = {**{k: v for k, v in inline.items() if k not in ("name", "version", "$schema",
                                                                                 "is_deterministic", "type")},
                            "inputs": {**{k: v.get("default") for k, v in (inline.get("inputs") or {}).items()
                                          if isinstance(v, dict) and v.get("default") is not None},
                                       **step.get("inputs", {})},
                            **{k: v for k, v in step.items() if k not in ("component", "inputs")}}
                steps[name] = uploader.command(step, f"jobs.{name}.")
            document["jobs"] = steps
        else:
            document = uploader.command(document, "")
        return document

    def get(self, name: str) -> Job:
        return Job.model_validate(self._api().get(f"/api/jobs/{quote(name)}"))

    def list(self, **filters: Any) -> list[Job]:
        """One page of jobs (``limit``, ``offset``) matching ``status``, ``experiment_name``, ``search``, ..."""
        return self.page(**filters)[0]

    def page(self, **filters: Any) -> tuple[list[Job], int]:
        """One page of jobs and how many match the filters on all pages."""
        api = self._api()
        response = api.send("GET", "/api/jobs", params={k: v for k, v in filters.items() if v is not None})
        return [Job.model_validate(j) for j in api.body(response)], int(response.headers["X-Total-Count"])

    def count(self, **filters: Any) -> int:
        """How many jobs match the filters (all pages)."""
        return self.page(**{**filters, "limit": 1})[1]

    def experiments(self) -> list[Experiment]:
        """Experiments (top-level jobs grouped by ``experiment_name``) with job counts, latest first."""
        return [Experiment.model_validate(e) for e in self._api().get("/api/experiments")]

    def children(self, name: str, metrics: bool = False) -> list[Job]:
        """The job's children (pipeline steps, AutoML trials); ``metrics=True`` adds each one's latest metrics."""
        params = {"metrics": "true"} if metrics else {}
        return [Job.model_validate(j) for j in self._api().get(f"/api/jobs/{quote(name)}/children", params=params)]

    def artifacts(self, name: str) -> list[dict[str, Any]]:
        """The files the job's MLflow run logged: ``[{"path", "size"}]``."""
        return self._api().get(f"/api/jobs/{quote(name)}/artifacts")

    def download_artifact(self, name: str, path: str, target: str | Path) -> Path:
        """Save one logged file of the job's run (``charts.json``, ``model/MLmodel``) as ``target``."""
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with target.open("wb") as out:
                self._api().stream_to(f"/api/jobs/{quote(name)}/artifacts/{quote(path, safe='')}", out)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target

    def automl_options(self) -> dict[str, Any]:
        """What an AutoML job may choose per task (primary metrics, algorithms) and the column purposes."""
        return self._api().get("/api/automl/options")

    def cancel(self, name: str) -> Job:
        return Job.model_validate(self._api().post(f"/api/jobs/{quote(name)}/cancel"))

    def start_interactive(self, experiment_name: str | None = None, display_name: str | None = None,
                          **fields: Any) -> Job:
        """A job of type ``interactive`` for a run this process logs itself (a notebook, a script): Running,
        with ``mlflow_run_id`` to log into (``mlflow.start_run(run_id=job.mlflow_run_id)``) until
        ``end_interactive``. In a compute instance's kernel its ``compute`` is that instance."""
        import os

        fields.setdefault("compute", os.environ.get("MODELYARD_COMPUTE_INSTANCE"))
        body = {"experiment_name": experiment_name, "display_name": display_name, **fields}
        return Job.model_validate(self._api().post("/api/interactive-runs",
                                                   json={k: v for k, v in body.items() if v is not None}))

    def end_interactive(self, name: str, status: str = JobStatus.COMPLETED, error: str | None = None) -> Job:
        """End an interactive run: ``Completed``, ``Failed`` (with ``error``) or ``Canceled``."""
        body = {"status": status, **({"error": error} if error else {})}
        return Job.model_validate(self._api().post(f"/api/interactive-runs/{quote(name)}/end", json=body))

    def refit(self, trial_name: str) -> Job:
        """Refit an AutoML trial's model on all training rows. The returned job holds ``properties.model_uri``
        once Completed: the trial itself when it has a model already (the best trial), else its refit job."""
        return Job.model_validate(self._api().post(f"/api/jobs/{quote(trial_name)}/refit"))

    def explain(self, trial_name: str) -> Job:
        """Queue the job that explains an AutoML trial's model (refitting it first when the trial kept none)."""
        return Job.model_validate(self._api().post(f"/api/jobs/{quote(trial_name)}/explanation"))

    def explanation_status(self, trial_name: str) -> TrialExplanation:
        """The trial's newest explanation job and its status (``NotFound`` when it was never explained)."""
        return TrialExplanation.model_validate(self._api().get(f"/api/jobs/{quote(trial_name)}/explanation"))

    def explanation(self, trial_name: str) -> Explanation:
        """The explanation of an AutoML trial's model, once its job completed."""
        return Explanation.model_validate(self._api().get(f"/api/jobs/{quote(trial_name)}/explanation/result"))

    def archive(self, name: str) -> Job:
        return Job.model_validate(self._api().patch(f"/api/jobs/{quote(name)}", json={"archived": True}))

    def update(self, name: str, **change: Any) -> Job:
        change = validate_spec(JobUpdate, change, "job change").model_dump(mode="json", exclude_unset=True)
        return Job.model_validate(self._api().patch(f"/api/jobs/{quote(name)}", json=change))

    def metric_history(self, name: str) -> dict[str, list[dict[str, Any]]]:
        return self._api().get(f"/api/jobs/{quote(name)}/metrics")

    def logs(self, name: str, offset: int = 0) -> dict[str, Any]:
        return self._api().get(f"/api/jobs/{quote(name)}/logs", params={"offset": offset})

    def stream(self, name: str, out: TextIO | None = None, timeout: float | None = None) -> Job:
        """Print the job's log as it grows until the job ends; return the final job."""
        out = out or sys.stdout
        offset, deadline = 0, time.monotonic() + timeout if timeout else None
        while True:
            chunk = self.logs(name, offset)
            if chunk["text"]:
                out.write(chunk["text"])
                out.flush()
            offset = chunk["offset"]
            if chunk["done"]:
                return self.get(name)
            if deadline and time.monotonic() > deadline:
                raise TimeoutError(f"job {name} still {chunk['status']} after {timeout} s")
            time.sleep(STREAM_POLL_SECONDS)

    def wait(self, name: str, timeout: float | None = None, poll: float = 0.2) -> Job:
        deadline = time.monotonic() + timeout if timeout else None
        while True:
            job = self.get(name)
            if job.status in TERMINAL:
                return job
            if deadline and time.monotonic() > deadline:
                raise TimeoutError(f"job {name} still {job.status} after {timeout} s")
            time.sleep(poll)

    def download(self, name: str, output: str, target: str | Path) -> Path:
        api = self._api()
        target = Path(target)
        for entry in api.get(f"/api/jobs/{quote(name)}/outputs/{quote(output)}"):
            destination = target / entry["name"]
            destination.parent.mkdir(parents=True, exist_ok=True)
            with destination.open("wb") as out:
                api.stream_to(f"/api/jobs/{quote(name)}/outputs/{quote(output)}/files/{quote(entry['name'])}", out)
        return target


class ComponentOperations:
    def __init__(self, api: Callable[[], ApiClient]) -> None:
        self._api = api

    def create(self, component: str | Path | dict[str, Any]) -> Component:
        from modelyard.spec._common import validate_spec

        document, base = load_document(component)
        api = self._api()
        document = _Uploader(api, base).command({**document, "inputs": {}}, "") | {"inputs": document.get("inputs", {})}
        spec = validate_spec(ComponentCreate, document, "component")
        return Component.model_validate(api.post("/api/components", json=spec.model_dump(mode="json", by_alias=True)))

    def get(self, reference: str) -> Component:
        """A registered component or a built-in module (``azureml:split_data:1``)."""
        return Component.model_validate(self._api().get(f"/api/components/{quote(reference)}"))

    def list(self, name: str | None = None) -> list[Component]:
        return [Component.model_validate(c) for c in self._api().get("/api/components", params={"name": name} if name else {})]

    def builtin(self) -> list[Component]:
        """The Designer's built-in modules: read-only components present in every workspace."""
        return [Component.model_validate(c) for c in self._api().get("/api/components", params={"builtin": True})]
