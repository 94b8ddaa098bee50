"""``Environment``: a v1 environment as a modelyard job environment (``system`` or python + pip)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from modelyard.azureml._v1 import RefuseOtherMembers, V1ArgumentWarning
from modelyard.errors import InvalidInput
from modelyard.spec.environment import conda_packages

class Environment(RefuseOtherMembers):
    _equivalents = {"register": "an environment written in the job (python: and pip:)",
                    "build": "the job itself: its environment is built on first use"}

    def __init__(self, name: str = "system", python: str | None = None, pip: list[str] | None = None,
                 curated: str | None = None, requirements: Path | None = None) -> None:
        self.name = name
        self.python_version = python
        self.pip_packages = list(pip or [])
        self._curated = curated
        self._requirements = requirements
        self.environment_variables: dict[str, str] = {}

    @staticmethod
    def from_pip_requirements(name: str, file_path: str | Path) -> "Environment":
        """The requirements file is read when a job using the environment is submitted."""
        path = Path(file_path).absolute()
        if not path.is_file():
            raise InvalidInput(f"file_path: {path} does not exist")
        return Environment(name, requirements=path)

    @staticmethod
    def from_conda_specification(name: str, file_path: str | Path) -> "Environment":
        """Python's version and the pip packages; conda packages are installed with pip (with a warning)."""
        import yaml

        path = Path(file_path)
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise InvalidInput(f"file_path: {path} does not exist") from None
        python, pip, conda = conda_packages(document)
        for entry in conda:
            warnings.warn(f"Environment.from_conda_specification: conda package {entry!r} is installed with pip: "
                          "environments here are virtualenvs, not conda",
                          V1ArgumentWarning, stacklevel=2)
        pip = conda + pip
        return Environment(name, python=python, pip=_without_azureml(pip))

    @staticmethod
    def get(workspace: Any, name: str, version: str | None = None) -> "Environment":
        """A curated Azure ML environment (AzureML-sklearn-..., AzureML-Minimal ...): the server's interpreter."""
        return Environment(name, curated=f"azureml:{name}")

    def job_environment(self) -> Any:
        """The ``environment`` field of a job."""
        if self._curated:
            return self._curated
        if not self.pip_packages and not self.python_version and not self._requirements:
            return "system"
        fields = {"python": self.python_version, "pip": self.pip_packages,
                  "requirements": str(self._requirements) if self._requirements else None}
        return {key: value for key, value in fields.items() if value}

    def __repr__(self) -> str:
        return f"Environment(name={self.name!r}, python={self.python_version!r}, pip={self.pip_packages!r})"


def _without_azureml(packages: list[str]) -> list[str]:
    """The Azure ML SDK's own packages are left out: modelyard.azureml stands in for them."""
    dropped = [p for p in packages if p.lower().startswith(("azureml-", "azureml_"))]
    if dropped:
        warnings.warn(f"Environment: {', '.join(dropped)} not installed; modelyard (and modelyard.azureml) stands in "
                      "for the Azure ML SDK in the job", V1ArgumentWarning, stacklevel=3)
    return [p for p in packages if p not in dropped]

