"""Job environments: the server's interpreter (``system``) or a virtualenv built once per content hash."""

from __future__ import annotations

import fcntl
import shutil
import site
import subprocess
import sys
from pathlib import Path

from modelyard.spec.environment import content_hash
from modelyard.spec.job import PythonEnvironment


class EnvironmentError_(Exception):
    """Building the environment failed; the message says why."""


def _interpreter(version: str | None) -> str:
    current = _current()
    if version in (None, current):
        return sys.executable
    found = shutil.which(f"python{version}")
    if not found:
        raise EnvironmentError_(f"environment build error: python {version} is not installed on this machine "
                                f"(the server runs {current})")
    return found


def _current() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def _run(log, building: Path, *command: str) -> None:
    """One build step, its output in the log; a failure removes the half-built folder and says why."""
    result = subprocess.run(command, capture_output=True, text=True)
    log(result.stdout + result.stderr)
    if result.returncode != 0:
        shutil.rmtree(building, ignore_errors=True)
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise EnvironmentError_("environment build error: " + " | ".join(tail))


def _share_server_packages(venv: Path) -> None:
    """The server's own packages (mlflow, scikit-learn, modelyard's) importable in the environment, after
    its own: ``--system-site-packages`` reaches only the base interpreter's when the server runs in a venv."""
    if sys.prefix == sys.base_prefix:
        return
    own = next(venv.glob("lib/python*/site-packages"))
    # addsitedir, not a plain path line: the server's own .pth files (an editable modelyard) must run too
    (own / "_modelyard_server.pth").write_text(
        "".join(f"import site; site.addsitedir({path!r})\n" for path in site.getsitepackages()))


def python_for(environment, envs_root: Path, log) -> str:
    """The interpreter a job runs with; builds and caches the virtualenv on first use."""
    if environment == "system" or environment is None:
        return sys.executable
    spec = environment if isinstance(environment, PythonEnvironment) else PythonEnvironment.model_validate(environment)
    target = envs_root / content_hash(spec.python, spec.pip)
    python = target / "bin" / "python"
    if python.exists():
        return str(python)
    envs_root.mkdir(parents=True, exist_ok=True)
    with open(envs_root / f"{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if python.exists():
            return str(python)
        building = envs_root / f"{target.name}.building"
        shutil.rmtree(building, ignore_errors=True)
        log(f"building environment {target.name} (python {spec.python or 'system'}; {len(spec.pip)} pip packages)\n")
        _run(log, building, _interpreter(spec.python), "-m", "venv", "--system-site-packages", str(building))
        if spec.python in (None, _current()):
            _share_server_packages(building)
        if spec.pip:
            _run(log, building, str(building / "bin" / "python"), "-m", "pip", "install", *spec.pip)
        building.rename(target)
    return str(python)
