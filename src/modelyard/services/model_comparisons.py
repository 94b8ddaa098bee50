"""Champion/challenger: two registered model versions scored on one held-out data version, the release gate of
a CI/CD pipeline (``modelyard model compare``). Nothing is stored; the answer says whether the challenger may
replace the champion. The metrics are AutoML's own (``automl._metrics``) through ``explain.score_model``."""

from __future__ import annotations

from modelyard.errors import InvalidInput
from modelyard.services._context import ServiceContext
from modelyard.services.data import DataAssetService
from modelyard.services.model_analyses import ModelAnalysisService
from modelyard.services.models import ModelService
from modelyard.spec._common import AssetRef
from modelyard.spec.model_comparison import ModelComparison, ModelComparisonRequest, ModelScore
from modelyard.store import ModelRow


class ModelComparisonService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.models = ModelService(context)
        self.data = DataAssetService(context)

    def compare(self, request: ModelComparisonRequest) -> ModelComparison:
        from modelyard.automl._metrics import greater_is_better

        challenger, champion = self.models.get_row(request.challenger), self.models.get_row(request.champion)
        target = request.target or ModelAnalysisService(self.context).trained_target(challenger)
        if target is None:
            raise InvalidInput(f"name the label column (target, --target): model {challenger.name}:"
                               f"{challenger.version} does not come from an AutoML job that would say it")
        frame, data = self.labelled_frame(request.data)
        scores = {}
        for model in (challenger, champion):
            metrics = self._score(model, frame, target)
            if request.metric not in metrics:
                raise InvalidInput(f"metric {request.metric!r} is not one of model {model.name}:{model.version}'s "
                                   f"metrics on {data}; choose one of {', '.join(sorted(metrics))}")
            scores[model.id] = ModelScore(model=f"{model.name}:{model.version}", value=metrics[request.metric])
        better = greater_is_better(request.metric)
        first, second = scores[challenger.id], scores[champion.id]
        gain = (first.value - second.value) if better else (second.value - first.value)
        return ModelComparison(metric=request.metric, greater_is_better=better, data=data, target=target,
                               rows=len(frame), challenger=first, champion=second, gain=gain,
                               min_gain=request.min_gain, passed=gain >= request.min_gain)

    def labelled_frame(self, reference: str):
        """The rows of an mltable data asset (``name[:version|@label]``) as pandas, and its ``name:version``."""
        ref = AssetRef.parse(reference.removeprefix("azureml:"))
        row = self.data.get_row(ref.name, ref.version, ref.label)
        where = f"{row.name}:{row.version}"
        if row.type != "mltable":
            raise InvalidInput(f"data asset {where} is {row.type}; a comparison needs labelled rows: register the "
                               "held-out data as an mltable")
        return self.data.read_table(row).to_pandas(), where

    def _score(self, model: ModelRow, frame, target: str) -> dict[str, float]:
        from modelyard import explain

        return explain.score_model(self.fitted(model), frame, target=target)

    def fitted(self, model: ModelRow):
        """The model version's fitted estimator, loaded from a verified copy."""
        from modelyard import explain

        with self.models.local_folder(model.name, model.version) as folder:
            return explain.load_explainable(folder)
