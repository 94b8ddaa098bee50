"""The supervisor of online deployments: scoring processes per deployment, kept alive and routed to.

It follows the desired state in the store on every scheduler tick: a new deployment (or a new
generation after an update) gets its model copied out of the registry (sha256 checked), then
``instance_count`` scoring processes; only when all of them answer /ready does the router switch
to them and the previous generation stop — so an update fails no request. A process that dies is
restarted with exponential backoff. Endpoints come back by themselves after a server restart.

Scoring processes listen on Unix domain sockets in an owner-only runtime folder (no TCP port:
only the server reaches them, and the server checks the endpoint's key), exit when the server
is gone, and are recorded (pid and start time) so that a server starting after a crash ends
those its predecessor left.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from modelyard._snapshot import unpack
from modelyard.runtime._environments import python_for
from modelyard.runtime._scoring_processes import ScoringProcesses, probe_ready
from modelyard.services import ServiceContext
from modelyard.services.data_collection import collected_key
from modelyard.services.endpoints import DesiredDeployment, EndpointService
from modelyard.services.environments import EnvironmentService
from modelyard.services.jobs import snapshot_key
from modelyard.services.models import ModelService
from modelyard.serving._lifeline import EXIT_UNUSABLE_MODEL, LOAD_ERROR_PREFIX
from modelyard.spec.endpoint import DataCollector

log = logging.getLogger("modelyard.serving")
MAX_BACKOFF_SECONDS = 30.0


@dataclass
class Route:
    """Where the router sends a deployment's requests, and the largest body it forwards."""

    sockets: list[str]
    max_body_bytes: int
    collect_rate: float = 0.0  # share of requests the scoring processes collect (data_collector)


@dataclass
class Instance:
    socket: str
    process: subprocess.Popen
    ready: bool = False
    restarts: int = 0
    restart_at: float = 0.0

    def state(self) -> str:
        if self.process.poll() is not None:
            return "Restarting"
        return "Ready" if self.ready else "Starting"


@dataclass
class Generation:
    number: int
    folder: Path
    command: list[str]
    max_body_bytes: int
    collect_rate: float = 0.0
    instances: list[Instance] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)


class Supervisor:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.deployments = EndpointService(context)
        self.ready_timeout = context.location.config.serving.ready_timeout_seconds
        self.live: dict[tuple[str, str], Generation] = {}     # what the router sends requests to
        self.pending: dict[tuple[str, str], Generation] = {}  # a generation warming up
        self.routes: dict[str, dict[str, Route]] = {}         # endpoint -> deployment -> ready sockets
        self.processes = ScoringProcesses(context.location.folder)
        self.processes.end_leftovers()  # of a server that died without stopping them

    # -- the periodic step -------------------------------------------------------------------
    def step(self) -> bool:
        """Follow the store's deployments; whether one is warming up or waits for a restart."""
        rows = self.deployments.desired_deployments()
        wanted = {(r.endpoint, r.name): r for r in rows if r.state != "Deleting"}
        for row in rows:
            if row.state == "Deleting":
                self._remove(row)
        for key in list(self.live) + list(self.pending):
            if key not in wanted:
                self._stop_key(key)
        for key, row in wanted.items():
            self._follow(key, row)
        self.routes = self._routes()
        return bool(self.pending) or any(i.restart_at or not i.ready for g in self.live.values() for i in g.instances)

    def _follow(self, key: tuple[str, str], row: DesiredDeployment) -> None:
        live, pending = self.live.get(key), self.pending.get(key)
        if (live is None or live.number != row.generation) and (pending is None or pending.number != row.generation):
            if pending is not None:
                self._stop(pending)
            try:
                self.pending[key] = self._start(row)
            except Exception as error:  # a model that cannot be prepared fails the deployment, not the server
                self._set_state(row, "Failed", f"cannot start: {error}")
                return
        pending = self.pending.get(key)
        if pending is not None:
            unusable = self._unusable_model(pending)  # before _check_ready restarts the process
            if not unusable:
                self._check_ready(pending)
            if unusable:
                self.pending.pop(key)
                self._stop(pending)
                self._set_state(row, "Failed", unusable)
            elif all(i.ready for i in pending.instances):
                old = self.live.get(key)
                self.live[key] = self.pending.pop(key)
                self.routes = self._routes()  # the router moves to the new generation before the old one stops
                if old is not None:
                    self._stop(old)
                self._set_state(row, "Succeeded", None)
            elif time.monotonic() - pending.started > self.ready_timeout or any(
                    i.restarts >= 3 and not i.ready for i in pending.instances):
                self.pending.pop(key)
                self._stop(pending)
                self._set_state(row, "Failed", "the scoring processes did not become ready:\n" + self._tail(pending))
        if key in self.live:
            self._keep_alive(self.live[key])

    # -- processes ----------------------------------------------------------------------------
    def _start(self, row: DesiredDeployment) -> Generation:
        folder = self.context.location.folder / "deployments" / row.endpoint / row.name / f"g{row.generation}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        models = ModelService(self.context)
        with models.local_folder(row.model_name, row.model_version) as verified:
            shutil.copytree(verified, folder / "model")
        settings = row.spec.get("request_settings") or {}
        max_body_bytes = int(settings.get("max_body_bytes", 10 * 1024 * 1024))
        command = [self._python(row, folder), "-m", "modelyard.serving", "--model-dir", str(folder / "model"),
                   "--name", f"{row.endpoint}/{row.name}", "--parent-pid", str(os.getpid()),
                   "--max-concurrent", str(settings.get("max_concurrent_requests_per_instance", 64)),
                   "--request-timeout-ms", str(settings.get("request_timeout_ms", 5000)),
                   "--max-body-bytes", str(max_body_bytes)]
        code = row.spec.get("code_configuration")
        if code:
            with self.context.artifacts.open(snapshot_key(code["code"])) as source, \
                    (folder / "code.tar.gz").open("wb") as out:
                shutil.copyfileobj(source, out)
            unpack(folder / "code.tar.gz", folder / "code")
            command += ["--code-dir", str(folder / "code"), "--scoring-script", code["scoring_script"]]
        if row.spec.get("explain"):
            command.append("--explain")
        collector = DataCollector.model_validate(row.spec["data_collector"]) if row.spec.get("data_collector") else None
        collect_rate = 0.0
        if collector is not None and collector.enabled:
            collect_rate = collector.sampling_rate
            command += ["--collect-to", self.context.artifacts.uri(collected_key(row.endpoint, row.name)),
                        "--collect-buffer-rows", str(collector.buffer_rows),
                        "--collect-flush-seconds", str(collector.flush_seconds)]
            command += [arg for name in collector.enabled for arg in ("--collect", name)]
        generation = Generation(row.generation, folder, command, max_body_bytes, collect_rate)
        for index in range(int(row.spec.get("instance_count", 1))):
            generation.instances.append(self._spawn(generation, index))
        return generation

    def _python(self, row: DesiredDeployment, folder: Path) -> str:
        """The interpreter of the deployment's registered environment (built when it was deployed), else the
        server's own."""
        environment, named = EnvironmentService(self.context).pinned(row.spec.get("environment"), "environment")
        if named is None:
            return sys.executable
        with (folder / "environment.log").open("a") as log:
            return python_for(environment, self.context.location.folder / "envs", log.write)

    def _spawn(self, generation: Generation, index: int, restarts: int = 0) -> Instance:
        path = self.processes.new_socket()
        with (generation.folder / f"instance-{index}.log").open("ab") as out:
            process = subprocess.Popen([*generation.command, "--uds", path], stdout=out,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                                       env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE", "PYTHONUNBUFFERED": "1"})
        self.processes.record(process.pid, path)
        return Instance(socket=path, process=process, restarts=restarts)

    def _check_ready(self, generation: Generation) -> None:
        for instance in generation.instances:
            if not instance.ready and instance.process.poll() is None:
                instance.ready = probe_ready(instance.socket)
        self._keep_alive(generation)

    @staticmethod
    def _unusable_model(generation: Generation) -> str | None:
        """Why the model cannot serve, when a scoring process said so (restarting cannot help)."""
        for index, instance in enumerate(generation.instances):
            if instance.process.poll() == EXIT_UNUSABLE_MODEL:
                text = (generation.folder / f"instance-{index}.log").read_text(errors="replace")
                reasons = [line[len(LOAD_ERROR_PREFIX):] for line in text.splitlines()
                           if line.startswith(LOAD_ERROR_PREFIX)]
                return "the model cannot serve: " + (reasons[-1] if reasons else "see the deployment's logs")
        return None

    def _keep_alive(self, generation: Generation) -> None:
        """Restart crashed scoring processes with exponential backoff."""
        now = time.monotonic()
        for index, instance in enumerate(generation.instances):
            if instance.process.poll() is None:
                if not instance.ready:
                    self._probe(instance)
                continue
            if instance.restart_at == 0.0:
                instance.ready = False
                instance.restart_at = now + min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** instance.restarts)
                log.warning("scoring process %s of %s exited (%s); restarting", index, generation.folder,
                            instance.process.returncode)
            elif now >= instance.restart_at:
                self.processes.forget(instance.process.pid, instance.socket)
                generation.instances[index] = self._spawn(generation, index, instance.restarts + 1)

    def _probe(self, instance: Instance) -> None:
        instance.ready = probe_ready(instance.socket)

    def _stop(self, generation: Generation) -> None:
        for instance in generation.instances:
            if instance.process.poll() is None:
                instance.process.terminate()
        for instance in generation.instances:
            try:
                instance.process.wait(10)
            except subprocess.TimeoutExpired:
                instance.process.kill()
                instance.process.wait()
            self.processes.forget(instance.process.pid, instance.socket)

    def _stop_key(self, key: tuple[str, str]) -> None:
        for table in (self.live, self.pending):
            if key in table:
                self._stop(table.pop(key))

    def _remove(self, row: DesiredDeployment) -> None:
        self._stop_key((row.endpoint, row.name))
        self.deployments.forget_deployment(row)

    def stop_all(self) -> None:
        for key in list(self.live) + list(self.pending):
            self._stop_key(key)
        self.processes.end_leftovers()

    # -- views ----------------------------------------------------------------------------------
    def _routes(self) -> dict[str, dict[str, Route]]:
        routes: dict[str, dict[str, Route]] = {}
        for (endpoint, deployment), generation in self.live.items():
            sockets = [i.socket for i in generation.instances if i.ready and i.process.poll() is None]
            routes.setdefault(endpoint, {})[deployment] = Route(sockets, generation.max_body_bytes,
                                                                generation.collect_rate)
        return routes

    def instances(self, endpoint: str, deployment: str) -> list[dict]:
        generation = self.live.get((endpoint, deployment)) or self.pending.get((endpoint, deployment))
        if generation is None:
            return []
        return [{"pid": i.process.pid, "state": i.state(), "restarts": i.restarts}
                for i in generation.instances]

    def _set_state(self, row: DesiredDeployment, state: str, error: str | None) -> None:
        self.deployments.set_deployment_state(row, state, error)

    @staticmethod
    def _tail(generation: Generation) -> str:
        lines: list[str] = []
        for log_file in sorted(generation.folder.glob("instance-*.log")):
            lines += log_file.read_text(errors="replace").splitlines()[-10:]
        return "\n".join(lines[-20:])
