"""``ScriptRunConfig`` and the older ``Estimator``: a script in a source folder, submitted as a command job."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from modelyard.azureml._v1 import RefuseOtherMembers, not_honoured
from modelyard.errors import InvalidInput


def compute_name(target: Any) -> str | None:
    """A v1 compute target (a ComputeTarget, its name, or 'local') as a modelyard compute name."""
    if target is None:
        return None
    return target if isinstance(target, str) else target.name


class ScriptRunConfig(RefuseOtherMembers):
    def __init__(self, source_directory: str | Path = ".", script: str | None = None, arguments: list[Any] | None = None,
                 run_config: Any = None, compute_target: Any = None, environment: Any = None,
                 max_run_duration_seconds: int | None = None, command: str | list[str] | None = None,
                 distributed_job_config: Any = None, docker_runtime_config: Any = None, **more: Any) -> None:
        not_honoured("ScriptRunConfig", {"run_config": run_config, "distributed_job_config": distributed_job_config,
                                         "docker_runtime_config": docker_runtime_config, **more},
                     {"run_config": "pass environment= and compute_target= directly; the run configuration is ignored",
                      "distributed_job_config": "the script runs as one process",
                      "docker_runtime_config": "jobs run as processes in a virtualenv, not in Docker",
                      **{key: "ignored" for key in more}})
        if script is None and command is None:
            raise InvalidInput("ScriptRunConfig: give script= (a file in source_directory) or command=")
        self.source_directory = Path(source_directory).absolute()
        self.script = script
        self.arguments = list(arguments or [])
        self.command = command
        self.target = compute_target
        self.environment = environment
        self.max_run_duration_seconds = max_run_duration_seconds

    def _command_line(self) -> str:
        if self.command is not None:
            return self.command if isinstance(self.command, str) else shlex.join(str(c) for c in self.command)
        for argument in self.arguments:
            if not isinstance(argument, (str, int, float, bool)):
                raise InvalidInput(f"arguments: {argument!r} is not a plain value; pass registered datasets by name "
                                   "and read them in the script with Dataset.get_by_name(Run.get_context()...)")
        return shlex.join(["python", self.script, *(str(a) for a in self.arguments)])

    def _job_document(self, workspace: Any) -> dict[str, Any]:
        if not self.source_directory.is_dir():
            raise InvalidInput(f"source_directory: {self.source_directory} is not a folder")
        document: dict[str, Any] = {"type": "command", "code": str(self.source_directory),
                                    "command": self._command_line(),
                                    "environment": self.environment.job_environment() if self.environment else "system"}
        if self.environment is not None and self.environment.environment_variables:
            document["environment_variables"] = {k: str(v) for k, v in self.environment.environment_variables.items()}
        if compute_name(self.target):
            document["compute"] = compute_name(self.target)
        if self.max_run_duration_seconds:
            document["limits"] = {"timeout": int(self.max_run_duration_seconds)}
        return document

    @staticmethod
    def _run_class():
        from modelyard.azureml.core._run import Run

        return Run


class Estimator(ScriptRunConfig):
    """v1's Estimator (also ``SKLearn``): ``script_params`` become the script's arguments and
    ``pip_packages``/``conda_packages`` its environment."""

    def __init__(self, source_directory: str | Path, compute_target: Any = None, vm_size: str | None = None,
                 entry_script: str | None = None, script_params: dict[str, Any] | None = None, node_count: int = 1,
                 use_gpu: bool = False, use_docker: bool = True, custom_docker_image: str | None = None,
                 conda_packages: list[str] | None = None, pip_packages: list[str] | None = None,
                 pip_requirements_file: str | None = None, environment_definition: Any = None,
                 max_run_duration_seconds: int | None = None, framework_version: str | None = None,
                 **more: Any) -> None:
        from modelyard.azureml.core._environment import Environment

        not_honoured("Estimator", {"vm_size": vm_size, "node_count": node_count if node_count != 1 else None,
                                   "use_gpu": use_gpu, "custom_docker_image": custom_docker_image,
                                   "framework_version": framework_version},
                     {"vm_size": "the job runs as a process on the server's machine",
                      "node_count": "the script runs as one process",
                      "use_gpu": "the job sees whatever devices the server's machine has",
                      "custom_docker_image": "jobs run in a virtualenv, not in Docker",
                      "framework_version": "the environment's (or the server's) installed version is used"})
        arguments = [str(item) for key, value in (script_params or {}).items() for item in (key, value)]
        if environment_definition is None and (conda_packages or pip_packages or pip_requirements_file):
            environment_definition = Environment.from_pip_requirements("estimator", pip_requirements_file) \
                if pip_requirements_file else Environment("estimator")
            environment_definition.pip_packages += [*(conda_packages or []), *(pip_packages or [])]
        super().__init__(source_directory, entry_script, arguments, compute_target=compute_target,
                         environment=environment_definition, max_run_duration_seconds=max_run_duration_seconds,
                         **more)


SKLearn = Estimator
