"""The explanation of an AutoML trial's model: ``/api/jobs/{trial}/explanation``.

GET the explanation's job and status, POST to ask for one (201, the queued job), GET ``.../result`` the
explanation itself, the same shape as a model version's.
"""

from fastapi import APIRouter, Depends

from modelyard.api._deps import context
from modelyard.services._context import ServiceContext
from modelyard.services.trial_explanations import TrialExplanationService
from modelyard.spec.explain import Explanation
from modelyard.spec.job_record import Job
from modelyard.spec.model_analysis import TrialExplanation

router = APIRouter(prefix="/api/jobs/{name}/explanation", tags=["jobs"])


def service(ctx: ServiceContext = Depends(context)) -> TrialExplanationService:
    return TrialExplanationService(ctx)


@router.post("", operation_id="explainTrial", response_model=Job, status_code=201)
def create(name: str, explanations: TrialExplanationService = Depends(service)) -> Job:
    """Queue the job that explains AutoML trial ``name``'s model, refitting it first when the trial kept none."""
    return explanations.create(name)


@router.get("", operation_id="getTrialExplanationStatus", response_model=TrialExplanation)
def get(name: str, explanations: TrialExplanationService = Depends(service)) -> TrialExplanation:
    """The trial's newest explanation job and its status (404: never explained)."""
    return explanations.get(name)


@router.get("/result", operation_id="getTrialExplanation", response_model=Explanation)
def result(name: str, explanations: TrialExplanationService = Depends(service)) -> dict:
    """The explanation of the trial's model, once its job completed."""
    return explanations.result(name)
