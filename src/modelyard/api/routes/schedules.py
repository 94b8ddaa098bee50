from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends

from modelyard.api._deps import context
from modelyard.services._context import ServiceContext
from modelyard.services.schedules import ScheduleService
from modelyard.spec.schedule import Schedule, ScheduleFire

router = APIRouter(prefix="/api/schedules", tags=["schedules"])


def service(ctx: ServiceContext = Depends(context)) -> ScheduleService:
    return ScheduleService(ctx)


@router.post("", operation_id="createSchedule", response_model=Schedule, status_code=201)
def create(document: dict[str, Any] = Body(..., description="Azure ML v2 schedule YAML as JSON; create_job inline "
                                                            "or 'azureml:<job name>'"),
           schedules: ScheduleService = Depends(service)) -> Schedule:
    return schedules.create(document)


@router.get("", operation_id="listSchedules", response_model=list[Schedule])
def list_(schedules: ScheduleService = Depends(service)) -> list[Schedule]:
    return schedules.list()


@router.get("/{name}", operation_id="getSchedule", response_model=Schedule)
def get(name: str, schedules: ScheduleService = Depends(service)) -> Schedule:
    return schedules.get(name)


@router.put("/{name}", operation_id="updateSchedule", response_model=Schedule)
def update(name: str, document: dict[str, Any] = Body(..., description="the whole schedule, as for create"),
           schedules: ScheduleService = Depends(service)) -> Schedule:
    """Replace the schedule's trigger, job and settings; its fires and enabled state stay."""
    return schedules.update(name, document)


@router.delete("/{name}", operation_id="deleteSchedule", status_code=204)
def delete(name: str, schedules: ScheduleService = Depends(service)) -> None:
    schedules.delete(name)


@router.post("/{name}/enable", operation_id="enableSchedule", response_model=Schedule)
def enable(name: str, schedules: ScheduleService = Depends(service)) -> Schedule:
    return schedules.set_enabled(name, True)


@router.post("/{name}/disable", operation_id="disableSchedule", response_model=Schedule)
def disable(name: str, schedules: ScheduleService = Depends(service)) -> Schedule:
    return schedules.set_enabled(name, False)


@router.post("/{name}/trigger", operation_id="triggerSchedule", response_model=ScheduleFire)
def trigger(name: str, schedules: ScheduleService = Depends(service)) -> ScheduleFire:
    """Fire once now: the fire names the job it submitted, or the error that kept it from being submitted."""
    return schedules.trigger(name)
