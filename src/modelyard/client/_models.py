"""SDK for the model registry: ``ws.models.create(name="attrition", path="runs:/<run>/model")``."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from modelyard.client._http import ApiClient
from modelyard.client._jobs import REMOTE_PREFIXES, _Uploader
from modelyard.spec._common import AssetRef, validate_spec
from modelyard.spec.cohort import Cohort, CohortComparison, CohortComparisonRequest, CohortCreate
from modelyard.spec.endpoint import OnlineDeployment
from modelyard.spec.explain import ErrorAnalysis, Explanation, FairnessMitigation, FairnessReport
from modelyard.spec.job_record import Job
from modelyard.spec.model import Model, ModelCreate
from modelyard.spec.model_comparison import ModelComparison, ModelComparisonRequest
from modelyard.spec.model_analysis import REQUESTS, ROUTES, ModelAnalysis

MODEL_PREFIXES = REMOTE_PREFIXES + ("runs:/", "azureml://jobs/")


class ModelOperations:
    def __init__(self, api: Callable[[], ApiClient]) -> None:
        self._api = api

    def create(self, spec: ModelCreate | dict[str, Any] | None = None, **fields: Any) -> Model:
        document = spec.model_dump(mode="json", by_alias=True, exclude_none=True) if isinstance(spec, ModelCreate) \
            else dict(spec or fields)
        api = self._api()
        if isinstance(document.get("path"), str) and not document["path"].startswith(MODEL_PREFIXES):
            document["path"] = _Uploader(api, Path.cwd()).snapshot(document["path"], "path")
        checked = validate_spec(ModelCreate, document, "model")
        return Model.model_validate(api.post("/api/models", json=checked.model_dump(mode="json", by_alias=True,
                                                                                   exclude_none=True)))

    @staticmethod
    def _route(reference: str, version: int | None = None) -> str:
        ref = AssetRef.parse(reference.removeprefix("azureml:"))
        slot = version or ref.version or ref.label or "latest"
        return f"/api/models/{quote(ref.name)}/versions/{quote(str(slot))}"

    def get(self, reference: str, version: int | None = None) -> Model:
        return Model.model_validate(self._api().get(self._route(reference, version)))

    def list(self, name: str | None = None, include_archived: bool = False) -> list[Model]:
        params: dict[str, Any] = {"include_archived": include_archived}
        if name:
            params["name"] = name
        return [Model.model_validate(m) for m in self._api().get("/api/models", params=params)]

    def update(self, reference: str, **change: Any) -> Model:
        return Model.model_validate(self._api().patch(self._route(reference), json=change))

    def archive(self, reference: str) -> Model:
        return self.update(reference, archived=True)

    def compare(self, challenger: str, champion: str, *, data: str, metric: str = "AUC_weighted",
                min_gain: float = 0.0, target: str | None = None) -> ModelComparison:
        """Both versions scored on held-out ``data``; ``.passed`` when the challenger beats the champion by ``min_gain``."""
        request = validate_spec(ModelComparisonRequest, {"challenger": challenger, "champion": champion, "data": data,
                                                         "metric": metric, "min_gain": min_gain, "target": target},
                                "model comparison")
        return ModelComparison.model_validate(self._api().post("/api/models/compare",
                                                               json=request.model_dump(mode="json")))

    def deployments(self, reference: str) -> list[OnlineDeployment]:
        """The online deployments serving this model version (the end of its lineage)."""
        return [OnlineDeployment.model_validate(d) for d in self._api().get(f"{self._route(reference)}/deployments")]

    def package(self, reference: str, output: str | Path) -> Path:
        """A self-contained folder serving the model (requirements, entry point, Dockerfile)."""
        from modelyard.client._package import build_package

        return build_package(self, reference, Path(output))

    def download(self, reference: str, target: str | Path) -> Path:
        api, route = self._api(), self._route(reference)
        target = Path(target)
        for entry in api.get(f"{route}/files"):
            destination = target / entry["name"]
            destination.parent.mkdir(parents=True, exist_ok=True)
            with destination.open("wb") as out:
                api.stream_to(f"{route}/files/{quote(entry['name'])}", out)
        return target

    # -- Responsible AI: each call queues a job (wait with ws.jobs.wait(job.name)); results are read back below
    def explain(self, reference: str, data: str, *, compute: str | None = None, sample: int | None = None,
                **options: Any) -> Job:
        """Queue an explanation job of the model version over data asset ``data`` (``name[:version]``)."""
        return self._analyse(reference, "explanation", data=data, compute=compute, sample=sample, **options)

    def assess_fairness(self, reference: str, data: str, *, sensitive: list[str],
                        bins: dict[str, list[float]] | None = None, target: str | None = None,
                        compute: str | None = None, **options: Any) -> Job:
        """Queue a fairness job: per-group metrics of each ``sensitive`` column (``bins`` for continuous ones)."""
        return self._analyse(reference, "fairness", data=data, sensitive=sensitive, bins=bins or {}, target=target,
                             compute=compute, **options)

    def analyze_errors(self, reference: str, data: str, *, target: str | None = None, compute: str | None = None,
                       **options: Any) -> Job:
        """Queue an error-analysis job: the tree of where the model is wrong on ``data``."""
        return self._analyse(reference, "error_analysis", data=data, target=target, compute=compute, **options)

    def upload_explanation(self, reference: str, explanation: Explanation, comment: str | None = None,
                           run: str | None = None) -> Job:
        """Store an explanation computed here (``modelyard.explain``) under the model version, as a completed
        explanation job; ``run`` is the interactive run it was computed in."""
        body = {"explanation": explanation.model_dump(mode="json"), "comment": comment, "run": run}
        return Job.model_validate(self._api().post(f"{self._route(reference)}/explanations/uploaded",
                                                   json={k: v for k, v in body.items() if v is not None}))

    def mitigate(self, reference: str, data: str, *, sensitive: str, bins: list[float] | None = None,
                 constraints: str = "demographic_parity", target: str | None = None, compute: str | None = None,
                 **options: Any) -> Job:
        """Queue a mitigation job: fairlearn's ThresholdOptimizer for ``sensitive`` (``bins`` when continuous),
        registering the mitigated model as a new version (``model_name=`` another name)."""
        return self._analyse(reference, "mitigation", data=data, sensitive=[sensitive],
                             bins={sensitive: bins} if bins else {}, constraints=constraints, target=target,
                             compute=compute, **options)

    def analyses(self, reference: str, kind: str = "explanation") -> list[ModelAnalysis]:
        """The version's analyses of ``kind`` (explanation, fairness, error_analysis, mitigation), newest first."""
        return [ModelAnalysis.model_validate(a) for a in self._api().get(f"{self._route(reference)}/{ROUTES[kind]}")]

    def explanation(self, reference: str, job: str = "latest") -> Explanation:
        return Explanation.model_validate(self._result(reference, "explanation", job))

    def fairness(self, reference: str, job: str = "latest") -> FairnessReport:
        return FairnessReport.model_validate(self._result(reference, "fairness", job))

    def mitigation(self, reference: str, job: str = "latest") -> FairnessMitigation:
        """A mitigation's fairness before and after, and the registered ``mitigated_model``."""
        return FairnessMitigation.model_validate(self._result(reference, "mitigation", job))

    def error_analysis(self, reference: str, job: str = "latest") -> ErrorAnalysis:
        return ErrorAnalysis.model_validate(self._result(reference, "error_analysis", job))

    # -- cohorts: saved filters on the version, their metrics beside the whole data's
    def create_cohort(self, reference: str, name: str, filters: list[dict[str, Any]], combine: str = "and",
                      description: str | None = None) -> Cohort:
        """Save a cohort: ``filters`` like ``[{"column": "Age", "operator": "<", "value": 30}]``, all of them
        holding (``combine="and"``) or any (``"or"``)."""
        spec = validate_spec(CohortCreate, {"name": name, "filters": filters, "combine": combine,
                                            "description": description}, "cohort")
        return Cohort.model_validate(self._api().post(f"{self._route(reference)}/cohorts",
                                                      json=spec.model_dump(mode="json")))

    def cohorts(self, reference: str) -> list[Cohort]:
        return [Cohort.model_validate(c) for c in self._api().get(f"{self._route(reference)}/cohorts")]

    def delete_cohort(self, reference: str, name: str) -> None:
        self._api().delete(f"{self._route(reference)}/cohorts/{quote(name)}")

    def compare_cohorts(self, reference: str, data: str, *, target: str | None = None,
                        cohorts: list[str] | None = None) -> CohortComparison:
        """The version's metrics on each cohort (all, or those named) of data asset ``data`` beside the whole's."""
        request = validate_spec(CohortComparisonRequest, {"data": data, "target": target, "cohorts": cohorts},
                                "cohort comparison")
        return CohortComparison.model_validate(self._api().post(f"{self._route(reference)}/cohort-metrics",
                                                                json=request.model_dump(mode="json")))

    def _analyse(self, reference: str, kind: str, **fields: Any) -> Job:
        request = validate_spec(REQUESTS[kind], {k: v for k, v in fields.items() if v is not None},
                                f"{kind.replace('_', ' ')} request")
        return Job.model_validate(self._api().post(f"{self._route(reference)}/{ROUTES[kind]}",
                                                   json=request.model_dump(mode="json", exclude_none=True)))

    def _result(self, reference: str, kind: str, job: str) -> dict[str, Any]:
        return self._api().get(f"{self._route(reference)}/{ROUTES[kind]}/{quote(job)}")
