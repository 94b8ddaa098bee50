"""``AutoMLConfig``: v1's Automated ML settings as a modelyard AutoML job (``type: automl``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from modelyard.azureml._v1 import not_honoured
from modelyard.azureml.core._script_run import compute_name
from modelyard.errors import InvalidInput

NOT_HONOURED = {
    "enable_onnx_compatible_models": "models are MLflow models (no ONNX export)",
    "enable_dnn": "no deep-learning models are tried",
    "enable_tf": "no TensorFlow models are tried",
    "spark_context": "trials run as worker processes",
    "max_cores_per_iteration": "each trial uses the cores its process gets",
    "mem_in_mb": "trials are not memory-capped",
    "cv_split_column_names": "cross-validation folds are drawn at random",
    "test_data": "no test run is made; score the best model yourself",
    "test_size": "no test run is made; score the best model yourself",
    "featurization": "a FeaturizationConfig is not read; featurization is 'auto' (column purposes are detected)",
}


class AutoMLConfig:
    def __init__(self, task: str, primary_metric: str | None = None, training_data: Any = None,
                 label_column_name: str | None = None, compute_target: Any = None,
                 experiment_timeout_minutes: float | None = None, experiment_timeout_hours: float | None = None,
                 n_cross_validations: int | None = None, validation_data: Any = None, validation_size: float | None = None,
                 iterations: int | None = None, max_concurrent_iterations: int | None = None,
                 iteration_timeout_minutes: float | None = None, experiment_exit_score: float | None = None,
                 enable_early_stopping: bool | None = None, blocked_models: list[str] | None = None,
                 allowed_models: list[str] | None = None, enable_voting_ensemble: bool | None = None,
                 enable_stack_ensemble: bool | None = None, featurization: Any = "auto",
                 weight_column_name: str | None = None, positive_label: Any = None, X: Any = None, y: Any = None,
                 debug_log: str | None = None, verbosity: int | None = None, **more: Any) -> None:
        if X is not None or y is not None:
            raise InvalidInput("AutoMLConfig: X= and y= are not supported; pass training_data= (a TabularDataset) and "
                               "label_column_name=")
        if training_data is None or not label_column_name:
            raise InvalidInput("AutoMLConfig: give training_data= (a TabularDataset) and label_column_name=")
        explainability = more.pop("model_explainability", None)
        blocked = more.pop("blacklist_models", None) or blocked_models
        allowed = more.pop("whitelist_models", None) or allowed_models
        if not isinstance(featurization, str):
            more["featurization"] = featurization
        not_honoured("AutoMLConfig", more, {key: NOT_HONOURED.get(key, "ignored") for key in more})
        timeout = experiment_timeout_minutes or (experiment_timeout_hours * 60 if experiment_timeout_hours else None)
        limits = {"timeout_minutes": timeout, "max_trials": iterations, "max_concurrent_trials": max_concurrent_iterations,
                  "trial_timeout_minutes": iteration_timeout_minutes, "exit_score": experiment_exit_score,
                  "enable_early_termination": enable_early_stopping}
        training = {"blocked_training_algorithms": blocked, "allowed_training_algorithms": allowed,
                    "enable_vote_ensemble": enable_voting_ensemble, "enable_stack_ensemble": enable_stack_ensemble,
                    "enable_model_explainability": explainability}
        mode = featurization if isinstance(featurization, str) else "auto"
        self.task = task
        self._scratch: tempfile.TemporaryDirectory | None = None
        self._document = _without_none({
            "type": "automl", "task": task, "primary_metric": primary_metric, "target_column_name": label_column_name,
            "compute": compute_name(compute_target), "n_cross_validations": n_cross_validations,
            "validation_data_size": validation_size, "weight_column_name": weight_column_name,
            "positive_label": positive_label, "limits": _without_none(limits), "training": _without_none(training),
            "featurization": {"mode": mode}})
        self._training_data, self._validation_data = training_data, validation_data

    def _job_document(self, workspace: Any) -> dict[str, Any]:
        document = dict(self._document)
        document["training_data"] = self._data(self._training_data, "training")
        if self._validation_data is not None:
            document["validation_data"] = self._data(self._validation_data, "validation")
        return document

    def _data(self, dataset: Any, role: str) -> str:
        """A registered dataset by reference; an unregistered one by its file (uploaded at submit)."""
        if getattr(dataset, "id", None):
            return f"azureml:{dataset.id}"
        if getattr(dataset, "_path", None):
            return dataset._path
        self._scratch = self._scratch or tempfile.TemporaryDirectory(prefix="modelyard-v1-automl-")
        csv = Path(self._scratch.name) / f"{role}.csv"
        frame = dataset.to_pandas_dataframe() if hasattr(dataset, "to_pandas_dataframe") else dataset
        frame.to_csv(csv, index=False)
        return str(csv)

    @staticmethod
    def _run_class():
        from modelyard.azureml.train.automl.run import AutoMLRun

        return AutoMLRun


def _without_none(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}
