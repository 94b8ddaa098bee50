"""``azureml.core.model``: ``Model`` (the registry) and ``InferenceConfig`` (the v1 entry script)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from modelyard.azureml._v1 import RefuseOtherMembers, module_getattr, not_honoured
from modelyard.errors import InvalidInput

__all__ = ["InferenceConfig", "Model"]

__getattr__ = module_getattr("azureml.core.model", {"Dataset": "modelyard.azureml.core.Dataset"})


class _Framework:
    SCIKITLEARN = "ScikitLearn"
    ONNX = "Onnx"
    TENSORFLOW = "TensorFlow"
    PYTORCH = "PyTorch"
    KERAS = "Keras"
    CUSTOM = "Custom"
    MULTI = "Multi"


class Model(RefuseOtherMembers):
    """A registered model version; ``Model(ws, name)`` is the latest version."""

    Framework = _Framework
    _equivalents = {"package": "modelyard.Workspace().models.package(name:version, folder)",
                    "profile": "the deployment's metrics (`modelyard online-endpoint show`)"}

    def __init__(self, workspace: Any, name: str | None = None, id: str | None = None, version: int | None = None,
                 tags: Any = None, properties: Any = None, run_id: str | None = None, _record: Any = None) -> None:
        self.workspace = workspace
        if _record is None:
            reference = id or name
            if reference is None:
                raise InvalidInput("Model: give name= (the latest version, or version=) or id='name:version'")
            _record = workspace.sdk.models.get(reference, version)
        self._record = _record
        self.name, self.version = _record.name, _record.version
        self.id = f"{self.name}:{self.version}"
        self.tags, self.properties, self.description = _record.tags, _record.properties, _record.description
        self.model_framework = _record.properties.get("model_framework")
        self.run_id = _record.lineage.get("mlflow_run_id")
        self.created_time = _record.created_at

    @staticmethod
    def register(workspace: Any, model_path: str, model_name: str, tags: dict[str, Any] | None = None,
                 properties: dict[str, Any] | None = None, description: str | None = None,
                 model_framework: str | None = None, model_framework_version: str | None = None,
                 **more: Any) -> "Model":
        """Register a local model file or folder as the next version of ``model_name``."""
        return Model._register(workspace, model_path, model_name, tags, properties, model_framework,
                               model_framework_version, description, more)

    @staticmethod
    def _register(workspace: Any, path: str, name: str, tags: Any, properties: Any, framework: str | None,
                  framework_version: str | None, description: str | None, more: dict[str, Any]) -> "Model":
        not_honoured("Model.register", more, {key: "not recorded" for key in more})
        recorded = {**(properties or {}), "model_framework": framework, "model_framework_version": framework_version}
        record = workspace.sdk.models.create(
            name=name, path=str(path), description=description,
            tags={k: str(v) for k, v in (tags or {}).items()},
            properties={k: str(v) for k, v in recorded.items() if v is not None})
        return Model(workspace, _record=record)

    @staticmethod
    def list(workspace: Any, name: str | None = None, **_: Any) -> list["Model"]:
        return [Model(workspace, _record=m) for m in workspace.sdk.models.list(name)]

    @staticmethod
    def get_model_path(model_name: str, version: int | None = None, _workspace: Any = None) -> str:
        """Inside a deployment: the model under AZUREML_MODEL_DIR (its one file, or its folder).
        With ``_workspace``: the version downloaded to ./azureml-models/<name>/<version>/ (v1's place)."""
        if _workspace is not None:
            model = Model(_workspace, model_name, version=version)
            return str(model.download(Path("azureml-models") / model.name / str(model.version), exist_ok=True))
        folder = os.environ.get("AZUREML_MODEL_DIR")
        if not folder:
            raise InvalidInput(f"Model.get_model_path({model_name!r}): AZUREML_MODEL_DIR is not set (it is inside a "
                               "deployment); outside one pass _workspace=ws to download the model")
        files = [p for p in Path(folder).iterdir() if not p.name.startswith(".")]
        return str(files[0]) if len(files) == 1 and files[0].is_file() else folder

    def download(self, target_dir: str | Path = ".", exist_ok: bool = False, **_: Any) -> str:
        """The model's files in ``target_dir``: its one file's path, or the folder."""
        target = Path(target_dir)
        if target.exists() and any(target.iterdir()) and not exist_ok:
            raise InvalidInput(f"target_dir: {target} is not empty; pass exist_ok=True to write into it")
        self.workspace.sdk.models.download(self.id, target)
        files = [p for p in target.rglob("*") if p.is_file()]
        return str(files[0]) if len(files) == 1 else str(target)

    def add_tags(self, tags: dict[str, Any]) -> None:
        self._record = self.workspace.sdk.models.update(self.id, tags={**self.tags,
                                                                       **{k: str(v) for k, v in tags.items()}})
        self.tags = self._record.tags

    @staticmethod
    def deploy(workspace: Any, name: str, models: list["Model"], inference_config: "InferenceConfig | None" = None,
               deployment_config: Any = None, deployment_target: Any = None, overwrite: bool = False,
               show_output: bool = False):
        """A web service: online endpoint ``name`` with the model deployed (see webservice.Webservice)."""
        from modelyard.azureml.core.webservice import Webservice

        return Webservice._deploy(workspace, name, models, inference_config, deployment_config, deployment_target,
                                  overwrite)

    def __repr__(self) -> str:
        return f"Model(workspace={self.workspace!r}, name={self.name}, id={self.id}, version={self.version}, " \
               f"tags={self.tags}, properties={self.properties})"


class InferenceConfig:
    """The v1 entry script (``init()`` and ``run(raw_data)``) and its environment."""

    def __init__(self, entry_script: str, runtime: str | None = None, conda_file: str | None = None,
                 source_directory: str | None = None, environment: Any = None, **more: Any) -> None:
        from modelyard.azureml.core._environment import Environment

        not_honoured("InferenceConfig", {"runtime": runtime if runtime not in (None, "python") else None, **more},
                     {"runtime": "the entry script runs in Python", **{key: "ignored" for key in more}})
        folder = Path(source_directory) if source_directory else Path(entry_script).parent
        self.source_directory = folder.absolute()
        self.entry_script = str(Path(entry_script).relative_to(folder)) if not source_directory else entry_script
        if not (self.source_directory / self.entry_script).is_file():
            raise InvalidInput(f"entry_script: {self.source_directory / self.entry_script} does not exist")
        self.environment = environment or (Environment.from_conda_specification("inference", conda_file)
                                           if conda_file else None)
