"""Cohorts of a model version: ``/api/models/{name}/versions/{version}/cohorts`` (POST creates, GET lists),
``.../cohorts/{cohort}`` (GET, DELETE), and ``POST .../cohort-metrics`` (the metrics of each cohort of a data
asset beside the whole's)."""

from fastapi import APIRouter, Depends

from modelyard.api._deps import context
from modelyard.api.routes.models import VERSION, _reference
from modelyard.services._context import ServiceContext
from modelyard.services.cohorts import CohortService
from modelyard.spec.cohort import Cohort, CohortComparison, CohortComparisonRequest, CohortCreate

router = APIRouter(prefix="/api/models", tags=["cohorts"])


def service(ctx: ServiceContext = Depends(context)) -> CohortService:
    return CohortService(ctx)


@router.post(VERSION + "/cohorts", operation_id="createCohort", status_code=201)
def create(name: str, version: str, spec: CohortCreate, cohorts: CohortService = Depends(service)) -> Cohort:
    return cohorts.create(_reference(name, version), spec)


@router.get(VERSION + "/cohorts", operation_id="listCohorts")
def list_(name: str, version: str, cohorts: CohortService = Depends(service)) -> list[Cohort]:
    return cohorts.list(_reference(name, version))


@router.get(VERSION + "/cohorts/{cohort}", operation_id="getCohort")
def get(name: str, version: str, cohort: str, cohorts: CohortService = Depends(service)) -> Cohort:
    return cohorts.get(_reference(name, version), cohort)


@router.delete(VERSION + "/cohorts/{cohort}", operation_id="deleteCohort", status_code=204)
def delete(name: str, version: str, cohort: str, cohorts: CohortService = Depends(service)) -> None:
    cohorts.delete(_reference(name, version), cohort)


@router.post(VERSION + "/cohort-metrics", operation_id="compareCohorts")
def compare(name: str, version: str, request: CohortComparisonRequest,
            cohorts: CohortService = Depends(service)) -> CohortComparison:
    return cohorts.compare(_reference(name, version), request)
