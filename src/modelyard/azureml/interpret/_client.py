"""``ExplanationClient`` (``azureml.interpret``): explanations uploaded to a run, and through it to the models
registered from that run (or the one named), where the studio's Explanations tab shows them."""

from __future__ import annotations

import json
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from modelyard.azureml._v1 import RefuseOtherMembers, not_honoured
from modelyard.errors import InvalidInput

FOLDER = "explanations"


class ExplanationClient(RefuseOtherMembers):
    def __init__(self, run: Any) -> None:
        self.run = run

    @classmethod
    def from_run(cls, run: Any) -> "ExplanationClient":
        return cls(run)

    @classmethod
    def from_run_id(cls, workspace: Any, experiment_name: str, run_id: str) -> "ExplanationClient":
        from modelyard.azureml.core import Experiment, Run

        return cls(Run(Experiment(workspace, experiment_name), run_id))

    def upload_model_explanation(self, explanation: Any, max_num_blocks: Any = None, block_size: Any = None,
                                 top_k: int | None = None, comment: str | None = None, init_dataset_id: Any = None,
                                 eval_dataset_id: Any = None, ground_truth_dataset_id: Any = None,
                                 y_pred_dataset_id: Any = None, y_pred_proba_dataset_id: Any = None,
                                 upload_datasets: bool = False, model_id: str | None = None, true_ys: Any = None,
                                 visualization_points: int = 5000) -> None:
        """Store ``explanation`` with the run (``download_model_explanation`` reads it back) and under the model
        ``model_id`` (``name:version``), else under every model registered from this run so far."""
        dropped = "the explanation is stored without the datasets (the studio shows its rows' values)"
        not_honoured("ExplanationClient.upload_model_explanation",
                     {"top_k": top_k, "init_dataset_id": init_dataset_id, "eval_dataset_id": eval_dataset_id,
                      "ground_truth_dataset_id": ground_truth_dataset_id, "true_ys": true_ys,
                      "upload_datasets": upload_datasets},
                     {"top_k": "every feature is stored; read the top ones with get_ranked_global_names(top_k)",
                      **{name: dropped for name in ("init_dataset_id", "eval_dataset_id", "ground_truth_dataset_id",
                                                    "true_ys", "upload_datasets")}})
        record = getattr(explanation, "explanation", None)
        if record is None:
            raise InvalidInput(f"explanation: a {type(explanation).__name__} is not an explanation; pass what "
                               "TabularExplainer/MimicExplainer.explain_global or explain_local returned")
        stored = {"id": uuid.uuid4().hex[:12], "comment": comment, "upload_time": time.time(),
                  "classes": explanation.model_classes, "explanation": record.model_dump(mode="json")}
        with tempfile.TemporaryDirectory(prefix="modelyard-v1-") as scratch:
            path = Path(scratch) / f"{stored['id']}.json"
            path.write_text(json.dumps(stored))
            self.run.upload_file(f"{FOLDER}/{path.name}", str(path))
        sdk = self.run.experiment.workspace.sdk
        for model in [model_id] if model_id else self._models_of_run(sdk):
            sdk.models.upload_explanation(model, record, comment=comment, run=getattr(self.run, "_job", None))

    def _models_of_run(self, sdk: Any) -> list[str]:
        run_id = getattr(self.run, "mlflow_run_id", None) or self.run.id
        return [f"{m.name}:{m.version}" for m in sdk.models.list() if m.lineage.get("mlflow_run_id") == run_id]

    def list_model_explanations(self, comment: str | None = None, **_: Any) -> list[dict[str, Any]]:
        """``[{"id", "comment", "upload_time"}]`` of the run's explanations, newest first."""
        stored = [{k: item[k] for k in ("id", "comment", "upload_time")} for item in self._stored()]
        return [item for item in stored if comment is None or item["comment"] == comment]

    def download_model_explanation(self, explanation_id: str | None = None, top_k: int | None = None,
                                   comment: str | None = None, raw: bool | None = None,
                                   engineered: bool | None = None) -> Any:
        """The run's newest explanation (or the one with ``explanation_id`` / ``comment``); ``engineered=True``
        reads it over the engineered features."""
        from modelyard.azureml.interpret._explanation import V1Explanation
        from modelyard.spec.explain import Explanation

        found = [item for item in self._stored() if explanation_id in (None, item["id"])
                 and comment in (None, item["comment"])]
        if not found:
            wanted = f" with id {explanation_id!r}" if explanation_id else f" with comment {comment!r}" if comment else ""
            raise InvalidInput(f"run {self.run.id} has no uploaded explanation{wanted}; upload one with "
                               "ExplanationClient.from_run(run).upload_model_explanation(...)")
        return V1Explanation(Explanation.model_validate(found[0]["explanation"]),
                             raw=False if engineered or raw is False else None, classes=found[0].get("classes"))

    def _stored(self) -> list[dict[str, Any]]:
        names = [n for n in self.run.get_file_names() if n.startswith(f"{FOLDER}/") and n.endswith(".json")]
        with tempfile.TemporaryDirectory(prefix="modelyard-v1-") as scratch:
            items = [json.loads(Path(self.run.download_file(n, Path(scratch) / n.replace("/", "_"))).read_text())
                     for n in names]
        return sorted(items, key=lambda item: -item["upload_time"])
