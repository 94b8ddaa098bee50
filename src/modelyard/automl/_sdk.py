"""Building AutoML jobs in Python, as Azure ML's SDK does: ``automl.classification(...)``.

    from modelyard import Workspace, automl
    job = automl.classification(training_data="azureml:employeeattrition@latest",
                                target_column_name="Attrition", primary_metric="AUC_weighted",
                                compute="cpucluster", n_cross_validations=5)
    job.set_limits(timeout_minutes=10, max_concurrent_trials=2)
    submitted = Workspace.from_config().jobs.create(job)
"""

from __future__ import annotations

from typing import Any

from modelyard.spec._common import validate_spec
from modelyard.spec.automl import AutoMLJob


class AutoMLJobBuilder(AutoMLJob):
    """An AutoML job spec with Azure-style setters; each setter validates and returns the job."""

    def _set(self, section: str, **values: Any) -> "AutoMLJobBuilder":
        merged = {**getattr(self, section).model_dump(), **{k: v for k, v in values.items() if v is not None}}
        document = {**self.model_dump(by_alias=True, exclude_none=True), section: merged}
        checked = validate_spec(AutoMLJobBuilder, document, "automl job")
        setattr(self, section, getattr(checked, section))
        return self

    def set_limits(self, **limits: Any) -> "AutoMLJobBuilder":
        return self._set("limits", **limits)

    def set_training(self, **training: Any) -> "AutoMLJobBuilder":
        return self._set("training", **training)

    def set_featurization(self, **featurization: Any) -> "AutoMLJobBuilder":
        return self._set("featurization", **featurization)


def _job(task: str, fields: dict[str, Any]) -> AutoMLJobBuilder:
    return validate_spec(AutoMLJobBuilder, {"type": "automl", "task": task,
                                            **{k: v for k, v in fields.items() if v is not None}}, "automl job")


def classification(**fields: Any) -> AutoMLJobBuilder:
    """A classification AutoML job; fields as in the YAML (training_data, target_column_name, ...)."""
    return _job("classification", fields)


def regression(**fields: Any) -> AutoMLJobBuilder:
    """A regression AutoML job; fields as in the YAML (training_data, target_column_name, ...)."""
    return _job("regression", fields)
