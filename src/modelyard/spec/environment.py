"""Shapes of environments in Azure ML v2's style: a named, versioned python + pip package set.

A version is immutable; it is built once into a virtualenv keyed by its resolved content (python
version + sorted pip requirements), and its resolved package list and build log are kept with it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from modelyard.spec._common import Name, Record, Spec

# A job or deployment names a registered environment as azureml:name:3, azureml:name@latest or name:3.
REFERENCE = re.compile(r"^(azureml:)?(?P<name>[A-Za-z0-9][A-Za-z0-9_.-]*)(?P<rest>:\d+|@[A-Za-z0-9_.-]+)$")
EnvironmentState = Literal["Queued", "Building", "Ready", "Failed"]


def is_reference(value: Any) -> bool:
    return isinstance(value, str) and REFERENCE.match(value.strip()) is not None


def content_hash(python: str | None, pip: list[str]) -> str:
    """The build cache's key: the python version (default: the server's) and the sorted requirements."""
    import hashlib
    import json
    import sys

    identity = {"python": python or f"{sys.version_info.major}.{sys.version_info.minor}", "pip": sorted(pip)}
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:20]


def _requirement(text: str) -> str:
    """``text`` if pip reads it as one requirement (``tabulate==0.8.10``), else ValueError saying why."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        Requirement(text)
    except InvalidRequirement as error:
        reason = str(error).splitlines()[0]
        raise ValueError(f"{text!r} is not a pip requirement ({reason}); write e.g. 'tabulate==0.8.10'") from None
    return text


Requirement = Annotated[str, AfterValidator(_requirement)]


def conda_packages(document: dict[str, Any]) -> tuple[str | None, list[str], list[str]]:
    """A conda file's python version, its pip packages, and its conda packages as pip requirements
    (``scikit-learn=1.3`` -> ``scikit-learn==1.3``): environments here are virtualenvs, not conda."""
    python, pip, conda = None, [], []
    for entry in document.get("dependencies") or []:
        if isinstance(entry, dict):
            pip.extend(str(p) for p in entry.get("pip") or [])
            continue
        package = re.split(r"[=<>!~ ]", str(entry), maxsplit=1)[0]
        if package == "python":
            python = str(entry)[len("python"):].lstrip("=<>~ ").rstrip(".*") or None
        elif package != "pip":
            conda.append(re.sub(r"(?<![=<>!~])=(?!=)", "==", str(entry).strip()))
    return python, pip, conda


class EnvironmentCreate(Spec):
    """``python`` + ``pip``, or a ``conda_file`` (its python version and packages), or ``requirements``
    (a requirements file's lines); the CLI and the SDK read the files named in the YAML."""

    schema_: str | None = Field(None, alias="$schema")
    name: Name
    version: int | None = Field(None, ge=1, description="default: the next free version")
    description: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    python: str | None = Field(None, description="e.g. '3.11'; default: the server's interpreter")
    pip: list[Requirement] = Field(default_factory=list)
    conda_file: dict[str, Any] | None = Field(None, description="the conda file's content (python=, pip:)")
    requirements: list[Requirement] | None = Field(None, description="a pip requirements file's lines")
    image: str | None = Field(None, description="refused: Docker images are not built here")

    @field_validator("conda_file", mode="before")
    @classmethod
    def _read_by_the_client(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError(f"{value!r} is a file path; the CLI and SDK read it for you (environment create -f "
                             "env.yml), over REST send the conda file's content")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> "EnvironmentCreate":
        if self.image and self.conda_file:
            raise ValueError("conda_file and image: give one of them; Docker images are not built here, so give "
                             "conda_file (or python and pip) alone")
        if self.image:
            raise ValueError(f"image {self.image!r}: Docker images are not built here; give conda_file, requirements "
                             "or python and pip instead")
        if self.conda_file is not None:
            try:
                self.content()
            except ValueError as error:
                raise ValueError(f"conda_file: {error}") from None
        return self

    def content(self) -> tuple[str | None, list[str]]:
        """The python version and the pip requirements the environment is built from, all sources merged."""
        python, pip = self.python, list(self.pip) + list(self.requirements or [])
        if self.conda_file is not None:
            conda_python, conda_pip, conda = conda_packages(self.conda_file)
            python = python or conda_python
            pip += [_requirement(p) for p in conda + conda_pip]
        return python, pip


class EnvironmentUpdate(Spec):
    """What may change on a version: whether it is archived (its content never changes)."""

    archived: bool


class Environment(Record):
    name: str
    version: int
    description: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    python: str | None = None
    pip: list[str] = Field(default_factory=list, description="the requirements the environment is built from")
    content_hash: str = Field(description="the build's cache key: python version + sorted pip requirements")
    state: EnvironmentState
    build_job: str | None = None
    packages: list[str] = Field(default_factory=list, description="pip freeze of what was installed")
    error: str | None = None
    archived: bool = False
    created_at: datetime


class EnvironmentBuildJob(Spec):
    """The job that builds an environment version's virtualenv (queued when the version is created)."""

    type: Literal["environment_build"] = "environment_build"
    environment: str = Field(description="name:version")
    python: str | None = Field(None, description="default: the server's interpreter")
    pip: list[str] = Field(default_factory=list)
