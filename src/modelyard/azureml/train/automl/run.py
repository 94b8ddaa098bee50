"""``azureml.train.automl.run``: ``AutoMLRun`` with ``get_output()`` -> (best run, fitted model)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from modelyard.azureml.core._run import Run
from modelyard.errors import InvalidInput

__all__ = ["AutoMLRun"]


class AutoMLRun(Run):
    def get_best_child(self, metric: str | None = None, **_: Any) -> Run:
        if metric is not None:
            raise InvalidInput(f"get_best_child(metric={metric!r}): the best trial is chosen by the job's primary "
                               "metric; compare other metrics with get_children() and get_metrics()")
        self.wait_for_completion()
        best = self.properties.get("best_child_run_id")
        if not best:
            raise InvalidInput(f"AutoML run {self.id} found no model (no trial completed within its time budget)")
        found = next((child for child in self.get_children() if child.mlflow_run_id == best), None)
        if found is None:
            raise InvalidInput(f"AutoML run {self.id}: its best trial (MLflow run {best}) is not among its children")
        return found

    def get_output(self, metric: str | None = None, iteration: int | None = None, **_: Any) -> tuple[Run, Any]:
        """The best trial's run and its fitted scikit-learn pipeline."""
        if iteration is not None:
            raise InvalidInput("get_output(iteration=...): trials are not numbered here; pick one from get_children()")
        best = self.get_best_child(metric)
        return best, _load_model(best)


def _load_model(run: Run) -> Any:
    import mlflow.pyfunc
    import mlflow.sklearn

    with tempfile.TemporaryDirectory(prefix="modelyard-v1-model-") as scratch:
        for name in run.get_file_names():
            if name.startswith("model/"):
                run.download_file(name, Path(scratch) / name)
        folder = Path(scratch) / "model"
        if not (folder / "MLmodel").is_file():
            raise InvalidInput(f"run {run.id} logged no MLflow model (files: {', '.join(run.get_file_names())})")
        try:
            return mlflow.sklearn.load_model(str(folder))
        except Exception:  # not a scikit-learn flavour: the generic one
            return mlflow.pyfunc.load_model(str(folder))
