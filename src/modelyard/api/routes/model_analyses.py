"""Responsible AI analyses of a model version: POST queues the job, GET lists them and reads a result.

``/api/models/{name}/versions/{version}/explanations`` (and ``/fairness``, ``/error-analyses``):
POST a request (201, the queued job), GET the analyses, GET ``.../{job}`` one result, ``latest``
for the newest completed one. Annotations stay evaluated here: each kind's routes are made by
one factory, with that kind's request and result types.
"""

from fastapi import APIRouter, Depends

from modelyard.api._deps import context
from modelyard.api.routes.models import VERSION, _reference
from modelyard.services._context import ServiceContext
from modelyard.services.model_analyses import ModelAnalysisService
from modelyard.spec.explain import ErrorAnalysis, Explanation, FairnessMitigation, FairnessReport
from modelyard.spec.job_record import Job
from modelyard.spec.model_analysis import (ROUTES, ErrorAnalysisRequest, ExplanationRequest, FairnessRequest,
                                           MitigationRequest, ModelAnalysis, UploadedExplanation)

router = APIRouter(prefix="/api/models", tags=["model analyses"])
LATEST = "latest"


def service(ctx: ServiceContext = Depends(context)) -> ModelAnalysisService:
    return ModelAnalysisService(ctx)


def _add_routes(kind: str, request_type: type, result_type: type, create_id: str, list_id: str, get_id: str) -> None:
    path = f"{VERSION}/{ROUTES[kind]}"

    def create(name: str, version: str, request: request_type,  # type: ignore[valid-type]
               analyses: ModelAnalysisService = Depends(service)) -> Job:
        return analyses.create(_reference(name, version), kind, request)

    def list_(name: str, version: str, analyses: ModelAnalysisService = Depends(service)) -> list[ModelAnalysis]:
        return analyses.list(_reference(name, version), kind)

    def get(name: str, version: str, job: str, analyses: ModelAnalysisService = Depends(service)) -> dict:
        return analyses.result(_reference(name, version), kind, None if job == LATEST else job)

    router.add_api_route(path, create, methods=["POST"], operation_id=create_id, response_model=Job,
                         status_code=201, summary=f"Queue a {kind.replace('_', ' ')} job of the model version")
    router.add_api_route(path, list_, methods=["GET"], operation_id=list_id, response_model=list[ModelAnalysis])
    router.add_api_route(path + "/{job}", get, methods=["GET"], operation_id=get_id, response_model=result_type,
                         summary=f"One {kind.replace('_', ' ')} result ('{LATEST}': the newest completed)")


_add_routes("explanation", ExplanationRequest, Explanation,
            "explainModel", "listModelExplanations", "getModelExplanation")
_add_routes("fairness", FairnessRequest, FairnessReport,
            "assessModelFairness", "listModelFairnessAssessments", "getModelFairnessAssessment")
_add_routes("error_analysis", ErrorAnalysisRequest, ErrorAnalysis,
            "analyzeModelErrors", "listModelErrorAnalyses", "getModelErrorAnalysis")
_add_routes("mitigation", MitigationRequest, FairnessMitigation,
            "mitigateModelUnfairness", "listModelMitigations", "getModelMitigation")


@router.post(f"{VERSION}/explanations/uploaded", operation_id="uploadModelExplanation", response_model=Job,
             status_code=201)
def upload_explanation(name: str, version: str, upload: UploadedExplanation,
                       ctx: ServiceContext = Depends(context)) -> Job:
    """Store an explanation computed in a notebook (v1's ``upload_model_explanation``) as a completed explanation
    of the model version."""
    from modelyard.services.uploaded_explanations import record_uploaded

    return record_uploaded(ctx, _reference(name, version), upload)
