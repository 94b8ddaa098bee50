"""Running one command job on a worker: prepare, run, watch, finalize.

Preparing creates the MLflow run, unpacks the code snapshot, materialises the inputs and builds
the environment. Running watches the process tree: heartbeats, cancel requests and the time limit.
Finalizing uploads the outputs, registers named ones as data assets and ends the MLflow run.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from modelyard._snapshot import PREFIX as SNAPSHOT_PREFIX, unpack
from modelyard.errors import Conflict, InvalidInput
from modelyard.runtime._automl import command_for
from modelyard.runtime._batch import command_for as batch_command
from modelyard.runtime._environments import EnvironmentError_, python_for
from modelyard.runtime._model_analysis import command_for as analysis_command
from modelyard.runtime._monitor import command_for as monitor_command
from modelyard.services import ServiceContext, job_lifecycle as lifecycle, job_runs as runs
from modelyard.services import _data_sources as sources, _tracking as tracking
from modelyard.services._designer_pipeline import DESIGNER_MODULE_TAG, RUNNER as DESIGNER_RUNNER
from modelyard.services._destinations import data_source_check
from modelyard.services.data import DataAssetService
from modelyard.services.environments import BUILD_JOB_TYPE, EnvironmentService
from modelyard.services.job_runs import JobState
from modelyard.services.jobs import job_folder, snapshot_key
from modelyard.spec.automl import AutoMLJob
from modelyard.spec.data import DataAssetCreate
from modelyard.spec.job import PLACEHOLDER, BatchScoringJob, CommandJob, DataInput
from modelyard.spec.job_status import JobStatus
from modelyard.spec.model_analysis import ANALYSIS_KINDS, ModelAnalysisJob
from modelyard.spec.monitor_definition import MonitorJob

HEARTBEAT_SECONDS = 2.0
POLL_SECONDS = 0.1
KILL_GRACE_SECONDS = 5.0
LOG_TAIL_LINES = 12
FROZEN = "requirements.txt"  # what an environment build installed, as pip freeze writes it


class JobFailed(Exception):
    """The job failed for the reason in the message."""


class JobExecution:
    running_at_start = True  # a local process runs at once; a remote target says when it does
    retire_worker = False  # set when work of the job may still run in this process: the worker then leaves

    def __init__(self, context: ServiceContext, name: str, instance_id: int | None) -> None:
        self.context = context
        self.name = name
        self.instance_id = instance_id
        self.folder = job_folder(context, name)
        self.log_path = self.folder / "logs" / "std_log.txt"
        self.resources = ExitStack()
        self.output_dirs: dict[str, Path] = {}

    # -- the whole run --------------------------------------------------------------------
    def run(self) -> str:
        """Run the claimed job to a terminal status and return it."""
        self.folder.joinpath("logs").mkdir(parents=True, exist_ok=True)
        self.log = self.log_path.open("ab", buffering=0)
        row = self._row()
        self._take(row)
        run_id = None
        try:
            run_id = self._start_tracking(row)
            with self._beating():  # building an environment may take minutes: the worker must not look lost
                command, workdir, env = self._prepare(row, run_id)
            if self.running_at_start:
                runs.start(self.context, self.name)
            exit_code, reason = self._execute(command, workdir, env)
            return self._conclude(exit_code, reason, workdir, run_id)
        except (JobFailed, EnvironmentError_) as error:
            return self._finish(JobStatus.FAILED, run_id, str(error))
        except Conflict as taken:
            return self._given_up(taken)
        except Exception as error:  # a bug of ours must still end the job, with the cause
            self._write(traceback.format_exc())
            return self._finish(JobStatus.FAILED, run_id, f"internal error while running the job: {error}")
        finally:
            self.resources.close()
            self.log.close()

    def _conclude(self, exit_code: int | None, reason: str | None, workdir: Path, run_id: str) -> str:
        if reason == "canceled":
            return self._finish(JobStatus.CANCELED, run_id, "canceled by the user")
        if reason:
            return self._finish(JobStatus.FAILED, run_id, reason)
        if exit_code != 0:
            return self._finish(JobStatus.FAILED, run_id, f"exit code {exit_code}; last log lines:\n{self._tail()}")
        runs.finalize(self.context, self.name)
        outputs = self._finalize(workdir, run_id)
        return self._finish(JobStatus.COMPLETED, run_id, None, outputs=outputs)

    # -- prepare --------------------------------------------------------------------------
    def _start_tracking(self, row: JobState) -> str:
        parent = runs.state(self.context, row.parent) if row.parent else None
        parent_run = parent.mlflow_run_id if parent else None
        run_id = row.mlflow_run_id or tracking.start_run(self.context.location, row, parent_run)
        literals = {k: v for k, v in self.spec.inputs.items() if not isinstance(v, DataInput)}
        if not row.mlflow_run_id:
            tracking.log_params(self.context.location, run_id, literals)
        runs.record(self.context, self.name, mlflow_run_id=run_id)
        return run_id

    def _prepare(self, row: JobState, run_id: str) -> tuple[str, Path, dict[str, str]]:
        attempt = self.folder / f"attempt-{row.attempt}"
        workdir = attempt / "code"
        workdir.mkdir(parents=True, exist_ok=True)
        if self.spec.code:
            unpack(self._artifact_file(snapshot_key(self.spec.code)), workdir)
        values: dict[str, str] = {}
        for key, value in self.spec.inputs.items():
            values[f"inputs.{key}"] = (self._materialise(key, value, attempt / "inputs" / key)
                                       if isinstance(value, DataInput) else str(value))
        self.output_dirs = self._output_dirs(attempt)
        for key, folder in self.output_dirs.items():
            folder.mkdir(parents=True, exist_ok=True)
            values[f"outputs.{key}"] = str(folder)
        python = python_for(self.spec.environment, self.context.location.folder / "envs", self._write)
        command = PLACEHOLDER.sub(lambda m: shlex.quote(values[m.group(1)]), self.spec.command)
        env = {**os.environ, **tracking.job_environment(self.context.location, run_id, row.experiment_name),
               "PATH": f"{Path(python).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               "PYTHONUNBUFFERED": "1", "OMP_WAIT_POLICY": "PASSIVE", "MODELYARD_JOB_NAME": row.name,
               "MODELYARD_WORKSPACE": str(self.context.location.root), **self.spec.environment_variables}
        env.pop("VIRTUAL_ENV", None)
        self._write(f"[modelyard] job {row.name} attempt {row.attempt} on {row.compute}: {command}\n")
        return command, workdir, env

    def _output_dirs(self, attempt: Path) -> dict[str, Path]:
        return {key: attempt / "outputs" / key for key in self.spec.outputs}

    def _artifact_file(self, key: str) -> Path:
        if self.context.artifacts.is_local:
            return self.context.artifacts.local_path(key)
        target = self.folder / "downloads" / Path(key).name
        target.parent.mkdir(parents=True, exist_ok=True)
        with self.context.artifacts.open(key) as source, target.open("wb") as out:
            out.write(source.read())
        return target

    def _materialise(self, key: str, value: DataInput, target: Path) -> str:
        """A local path holding the input's data (linked when local, fetched otherwise)."""
        path = value.path
        target.mkdir(parents=True, exist_ok=True)
        if path.startswith("data:"):
            service = DataAssetService(self.context)
            name, version = path.removeprefix("data:").rsplit(":", 1)
            asset = service.get(name, int(version))
            files = self.resources.enter_context(service.local_copy(name, int(version)))
            for file_name, local in files.items():
                _link(Path(local), target / file_name)
            kind = value.type or asset.type
            return str(target / next(iter(files))) if kind == "uri_file" else str(target)
        if path.startswith(SNAPSHOT_PREFIX):
            unpack(self._artifact_file(snapshot_key(path)), target)
            members = [p for p in target.rglob("*") if p.is_file()]
            return str(members[0]) if value.type == "uri_file" and len(members) == 1 else str(target)
        if path.startswith("job:"):
            job, _, output = path.removeprefix("job:").partition("/outputs/")
            source = runs.state(self.context, job)
            if source is None or output not in (source.outputs or {}):
                raise JobFailed(f"input '{key}': job '{job}' has no output '{output}'")
            prefix = source.outputs[output]["key"]
            for artifact in self.context.artifacts.list(prefix):
                relative = artifact[len(prefix):].lstrip("/")
                if self.context.artifacts.is_local:
                    _link(self.context.artifacts.local_path(artifact), target / relative)
                else:
                    (target / relative).parent.mkdir(parents=True, exist_ok=True)
                    with self.context.artifacts.open(artifact) as src, (target / relative).open("wb") as out:
                        out.write(src.read())
            members = sorted(p for p in target.rglob("*") if p.is_file())
            return str(members[0]) if value.type == "uri_file" and members else str(target)
        if path.startswith(("http://", "https://")):
            import httpx

            from modelyard._urls import download

            try:
                destination = download(path, target, data_source_check(self.context.location))
            except httpx.HTTPError as error:
                raise JobFailed(f"input '{key}': cannot download {path}: {error}") from None
            except InvalidInput as refused:  # an address the workspace does not allow
                raise JobFailed(f"input '{key}': {refused}") from None
            return str(destination) if value.type == "uri_file" else str(target)
        raise JobFailed(f"input '{key}': unsupported path {path!r}")

    # -- execute --------------------------------------------------------------------------
    def _execute(self, command: str, workdir: Path, env: dict[str, str]) -> tuple[int | None, str | None]:
        if self.spec.tags.get(DESIGNER_MODULE_TAG) and command.startswith(DESIGNER_RUNNER):
            from modelyard.runtime._designer_execution import execute_in_worker

            return execute_in_worker(self, command, env["MLFLOW_RUN_ID"])
        process = subprocess.Popen(["bash", "-c", command], cwd=workdir, env=env, stdout=self.log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        runs.record(self.context, self.name, pid=process.pid)
        timeout = self.spec.limits.timeout
        started = time.monotonic()
        last_beat = 0.0
        while True:
            code = process.poll()
            if code is not None:
                return code, None
            now = time.monotonic()
            if timeout and now - started > timeout:
                _kill_tree(process)
                self._write(f"\n[modelyard] killed: the job ran past its time limit of {timeout} s\n")
                return None, f"timeout: ran past limits.timeout of {timeout} s and was killed"
            if now - last_beat >= HEARTBEAT_SECONDS:
                last_beat = now
                if self._heartbeat():
                    _kill_tree(process)
                    self._write("\n[modelyard] canceled by the user\n")
                    return None, "canceled"
            try:
                process.wait(POLL_SECONDS)  # returns the moment the command ends
            except subprocess.TimeoutExpired:
                pass

    @contextmanager
    def _beating(self) -> Iterator[None]:
        """Heartbeats from a thread while the block runs (a cancel request is seen once the command runs)."""
        done = threading.Event()

        def beat() -> None:
            while not done.wait(HEARTBEAT_SECONDS):
                self._heartbeat()

        thread = threading.Thread(target=beat, name=f"heartbeat-{self.name}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()

    def _take(self, row: JobState) -> None:
        """What the job runs, and its type (an environment build records what it installed when it ends)."""
        self.spec = command_spec(row)
        self.type = row.type

    def _heartbeat(self) -> bool:
        """Record that this job and its worker are alive; say whether a cancel was requested."""
        return lifecycle.heartbeat(self.context, self.name, self.instance_id)

    # -- finalize -------------------------------------------------------------------------
    def _finalize(self, workdir: Path, run_id: str) -> dict[str, Any]:
        outputs: dict[str, Any] = {}
        for key, folder in self.output_dirs.items():
            files = {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}
            declared = self.spec.outputs[key]
            snapshot = sources.Snapshot(origin=str(folder), local=files, entries=sources._entries(files))
            prefix = f"jobs/{self.name}/outputs/{key}"
            self.context.artifacts.put_files(files, prefix)
            outputs[key] = {"type": declared.type if declared else "uri_folder", "key": prefix,
                            "uri": self.context.artifacts.uri(prefix), "files": len(files),
                            "hash": snapshot.content_hash if files else None}
            if declared and declared.name and files:
                outputs[key]["data_asset"] = self._register(key, folder, declared)
        legacy = workdir / "outputs"
        if legacy.is_dir() and any(legacy.iterdir()):
            tracking.tracking_client(self.context.location).log_artifacts(run_id, str(legacy), "outputs")
        return outputs

    def _register(self, key: str, folder: Path, declared) -> str:
        kind = declared.type if declared.type != "mltable" else "mltable"
        files = [p for p in folder.rglob("*") if p.is_file()]
        path = str(files[0]) if kind == "uri_file" and len(files) == 1 else str(folder)
        asset = DataAssetService(self.context).create(DataAssetCreate(
            name=declared.name, type=kind, path=path, tags={"job": self.name, "output": key},
            description=declared.description or f"output '{key}' of job {self.name}"))
        return f"{asset.name}:{asset.version}"

    def _finish(self, status: JobStatus, run_id: str | None, error: str | None, outputs: dict | None = None) -> str:
        if self.type == BUILD_JOB_TYPE:  # before the job ends, so a finished build is never seen without them
            self._record_build(status)
        try:
            runs.finish(self.context, self.name, status, error=error, pid=None,
                        **({"outputs": outputs} if outputs is not None else {}))
        except Conflict as taken:
            return self._given_up(taken)
        self._end_children(status)
        if error:
            self._write(f"\n[modelyard] {status}: {error.splitlines()[0]}\n")
        if run_id:
            try:
                tracking.end_run(self.context.location, run_id, status)
            except Exception as failure:  # the job's status is what matters; say why tracking lagged
                self._write(f"[modelyard] could not end the MLflow run: {failure}\n")
        return status

    def _record_build(self, status: JobStatus) -> None:
        folder = self.output_dirs.get("packages")
        frozen = folder / FROZEN if folder else None
        packages = (frozen.read_text().splitlines() if status == JobStatus.COMPLETED and frozen and frozen.is_file()
                    else None)
        EnvironmentService(self.context).record_build(self.name, packages,
                                                       self.log_path.read_text(encoding="utf-8", errors="replace"))

    def _end_children(self, status: str) -> None:
        """Trials a stopped AutoML job leaves unfinished end with it."""
        if status == JobStatus.COMPLETED:
            return
        runs.finish_children(self.context, self.name, JobStatus.CANCELED, f"its parent job {status.lower()}")

    def _given_up(self, taken: Conflict) -> str:
        """The scheduler gave the job up while this runner still had it (its heartbeat looked stale): leave
        the job to whoever has it now."""
        self._write(f"\n[modelyard] stopped: {taken.message}\n")
        return self._row().status

    # -- helpers --------------------------------------------------------------------------
    def _row(self) -> JobState:
        return runs.state(self.context, self.name)

    def _write(self, text: str) -> None:
        self.log.write(text.encode("utf-8", errors="replace"))

    def _tail(self) -> str:
        with self.log_path.open("rb") as handle:
            handle.seek(max(0, self.log_path.stat().st_size - 8192))
            lines = handle.read().decode("utf-8", errors="replace").splitlines()
        return "\n".join([line for line in lines if not line.startswith("[modelyard]")][-LOG_TAIL_LINES:])


def command_spec(row: JobState) -> CommandJob:
    """What the worker runs for a job: its own command, or the runner of an AutoML, batch scoring, analysis or
    monitor job."""
    if row.type in ("automl", "automl_refit"):  # a refit of one trial runs the AutoML runner too

        refit = row.type == "automl_refit"
        spec = AutoMLJob.model_validate(row.spec["automl"] if refit else row.spec)
        return CommandJob.model_validate(command_for(spec, row.name, refit=refit,
                                                     explain=refit and bool(row.spec.get("explain"))))
    if row.type == "batch_scoring":
        return CommandJob.model_validate(batch_command(BatchScoringJob.model_validate(row.spec), row.name))
    if row.type in ANALYSIS_KINDS:
        return CommandJob.model_validate(analysis_command(ModelAnalysisJob.model_validate(row.spec), row.name))
    if row.type == "monitor":
        return CommandJob.model_validate(monitor_command(MonitorJob.model_validate(row.spec), row.name))
    if row.type == BUILD_JOB_TYPE:  # preparing builds the environment; the command lists what it installed
        return CommandJob.model_validate({
            "command": f"python -m pip freeze --local > ${{{{outputs.packages}}}}/{FROZEN}",
            "environment": {"python": row.spec["python"], "pip": row.spec["pip"]}, "outputs": {"packages": None},
            "compute": row.compute})
    return CommandJob.model_validate(row.spec)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() or target.is_symlink():
        target.unlink()
    target.symlink_to(source)


def _kill_tree(process: subprocess.Popen) -> None:
    """SIGTERM to the job's whole process group, SIGKILL after a grace period."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(KILL_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
