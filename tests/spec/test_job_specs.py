"""Every job's spec is one member of one union, told apart by ``type``: written with its type by the code that
creates the job, read by the job's type for rows stored before specs carried one, and so in the OpenAPI document."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import get_args

import pytest
from pydantic import ValidationError

from modelyard.services import workspace as workspaces
from modelyard.services._context import ServiceContext
from modelyard.services.environments import EnvironmentService
from modelyard.services.interactive_runs import InteractiveRunService
from modelyard.services.job_lifecycle import new_job, start
from modelyard.services.jobs import JobService
from modelyard.spec.automl import AutoMLJob, AutoMLRefitJob, TrialJob
from modelyard.spec.environment import EnvironmentBuildJob, EnvironmentCreate
from modelyard.spec.job import CommandJob, InteractiveRunCreate, InteractiveRunJob, PipelineJob
from modelyard.spec.job_record import JOB_SPEC, Job, JobType
from modelyard.spec.model_analysis import ModelAnalysisJob

AUTOML = {"type": "automl", "task": "classification", "target_column_name": "Attrition",
          "training_data": {"path": "data:employeeattrition:1", "type": "mltable", "mode": "download"}}
# specs as rows stored them before every spec carried its type
UNTYPED = {
    "trial": ({"algorithm": "LightGBM", "params": {"n_estimators": 50}}, TrialJob),
    "automl_refit": ({"trial": "run_1_3", "automl": AUTOML,
                      "configuration": {"algorithm": "LightGBM", "params": {}, "members": []}}, AutoMLRefitJob),
    "environment_build": ({"environment": "hr-env:1", "python": None, "pip": ["pandas"]}, EnvironmentBuildJob),
    "interactive": ({"experiment_name": "/Users/me/an experiment", "compute": "nb1", "mlflow_run": "abc"},
                    InteractiveRunJob),
}


@pytest.fixture
def context(tmp_path: Path):
    context = ServiceContext.open(workspaces.create(tmp_path / "ws", name="specs"))
    yield context
    context.close()


def _discriminator_values() -> set[str]:
    return set(JOB_SPEC.json_schema()["discriminator"]["mapping"])


def test_every_job_type_has_its_spec_shape_in_the_union():
    assert _discriminator_values() == set(get_args(JobType))


def test_the_specs_the_services_store_carry_their_type_and_read_back_typed(context):
    jobs = JobService(context)
    command = jobs.create({"type": "command", "command": "echo hi", "experiment_name": "specs"})
    pipeline = jobs.create({"type": "pipeline", "jobs": {"a": {"command": "echo a"}, "b": {"command": "echo b"}}})
    build = EnvironmentService(context).create(EnvironmentCreate(name="hr-env", pip=["pandas"])).build_job
    interactive = InteractiveRunService(context).create(InteractiveRunCreate(experiment_name="notebook"))
    expected = {command.name: CommandJob, pipeline.name: PipelineJob, build: EnvironmentBuildJob,
                interactive.name: InteractiveRunJob}
    expected.update({child.name: CommandJob for child in jobs.children(pipeline.name)})
    assert len(expected) == 6
    for name, shape in expected.items():
        row = jobs.get_row(name)
        assert row.spec["type"] == row.type, name
        assert type(jobs.get(name).spec) is shape, name
    assert jobs.get(build).spec.pip == ["pandas"] and jobs.get(command.name).spec.command == "echo hi"


@pytest.mark.parametrize("job_type", sorted(UNTYPED))
def test_a_row_stored_without_a_spec_type_reads_as_its_jobs_type(context, job_type):
    spec, shape = UNTYPED[job_type]
    row = new_job(name=f"old-{job_type}", type=job_type, experiment_name="old", compute=None, parent=None, spec=spec)
    start(row)
    with context.session() as session:
        session.add(row)
    read = JobService(context).get(row.name).spec
    assert type(read) is shape and read.type == job_type
    plain = {key: value for key, value in spec.items() if key != "automl"}  # the AutoML spec gains its defaults
    assert read.model_dump(mode="json", include=set(plain)) == plain


def test_an_explanation_has_one_shape_computed_or_uploaded():
    computed = JOB_SPEC.validate_python({"type": "explanation", "model": "hr:1", "target": "Attrition",
                                         "inputs": {"data": {"path": "data:hr:1"}}, "settings": {"method": "auto"}})
    uploaded = JOB_SPEC.validate_python({"type": "explanation", "model": "hr:1", "uploaded": True, "run": "job_1"})
    assert type(computed) is type(uploaded) is ModelAnalysisJob
    assert (computed.uploaded, computed.data.path) == (False, "data:hr:1")
    assert (uploaded.uploaded, uploaded.run, uploaded.inputs) == (True, "job_1", {})


def test_a_spec_that_fits_no_shape_is_refused_naming_the_problem():
    with pytest.raises(ValidationError, match="algorithm"):
        Job.model_validate(_record("trial", {"params": {}}))
    with pytest.raises(ValidationError, match="only an explanation is uploaded, not a fairness"):
        JOB_SPEC.validate_python({"type": "fairness", "model": "hr:1", "uploaded": True})
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        JOB_SPEC.validate_python({"type": "sweep"})
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        JOB_SPEC.validate_python({**AUTOML, "trial": "x"})
    assert type(Job.model_validate(_record("automl", AUTOML)).spec) is AutoMLJob


def test_the_openapi_document_has_the_discriminator(context):
    from modelyard.api._app import create_app

    schema = create_app(context.location).openapi()
    spec = schema["components"]["schemas"]["Job"]["properties"]["spec"]
    assert spec["discriminator"]["propertyName"] == "type"
    assert set(spec["discriminator"]["mapping"]) == set(get_args(JobType))
    assert {ref["$ref"].rsplit("/", 1)[1] for ref in spec["oneOf"]} >= {"CommandJob", "TrialJob", "AutoMLRefitJob",
                                                                          "EnvironmentBuildJob", "InteractiveRunJob"}


def _record(job_type: str, spec: dict) -> dict:
    return {"name": "j", "type": job_type, "status": "Completed", "experiment_name": "e",
            "created_at": datetime.now(timezone.utc), "spec": spec}
