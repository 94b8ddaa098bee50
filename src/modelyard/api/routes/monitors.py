"""Monitors: ``/api/monitors`` (create, list, get, delete) and their runs (POST queues a job, GET the history)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends

from modelyard.api._deps import context
from modelyard.services._context import ServiceContext
from modelyard.services.jobs import JobService
from modelyard.services.monitors import MonitorService
from modelyard.spec.job_record import Job
from modelyard.spec.monitor_definition import Monitor, MonitorHistoryEntry, MonitorRunRequest, MonitorRunResult

router = APIRouter(prefix="/api/monitors", tags=["monitors"])


def service(ctx: ServiceContext = Depends(context)) -> MonitorService:
    return MonitorService(ctx)


@router.post("", operation_id="createMonitor", response_model=Monitor, status_code=201)
def create(document: dict[str, Any] = Body(..., description="the monitor YAML as JSON: name, monitoring_target, "
                                                            "monitoring_signals (Azure ML v2's shape)"),
           monitors: MonitorService = Depends(service)) -> Monitor:
    return monitors.create(document)


@router.get("", operation_id="listMonitors", response_model=list[Monitor])
def list_(monitors: MonitorService = Depends(service)) -> list[Monitor]:
    return monitors.list()


@router.get("/{name}", operation_id="getMonitor", response_model=Monitor)
def get(name: str, monitors: MonitorService = Depends(service)) -> Monitor:
    return monitors.get(name)


@router.delete("/{name}", operation_id="deleteMonitor", status_code=204)
def delete(name: str, monitors: MonitorService = Depends(service)) -> None:
    monitors.delete(name)


@router.post("/{name}/runs", operation_id="runMonitor", response_model=Job, status_code=201)
def run(name: str, request: MonitorRunRequest = Body(default_factory=MonitorRunRequest),
        monitors: MonitorService = Depends(service)) -> Job:
    """Queue a run (one job; with backfill, one result per period)."""
    return JobService(monitors.context).get(monitors.run(name, request))


@router.get("/{name}/runs", operation_id="listMonitorHistory", response_model=list[MonitorHistoryEntry])
def history(name: str, monitors: MonitorService = Depends(service)) -> list[MonitorHistoryEntry]:
    """Each period of each run, newest run first."""
    return monitors.history(name)


@router.get("/{name}/runs/{job}", operation_id="getMonitorRun", response_model=MonitorRunResult)
def result(name: str, job: str, monitors: MonitorService = Depends(service)) -> MonitorRunResult:
    """A completed run's result: per period, signal, feature and metric, with histograms."""
    return monitors.result(name, job)
