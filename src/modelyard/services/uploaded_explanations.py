"""Explanations computed outside a job (a notebook's v1 ``ExplanationClient.upload_model_explanation``, with the
explain engine) stored under a model version as a completed explanation job, so that the model's Explanations
tab, ``GET .../explanations`` and the SDK read them like any other."""

from __future__ import annotations

import io

from modelyard.errors import InvalidInput, NotFound
from modelyard.services._context import ServiceContext
from modelyard.services._names import job_name
from modelyard.services.job_lifecycle import finish, new_job, start
from modelyard.services.model_analyses import ModelAnalysisService, result_key
from modelyard.spec.job_record import Job
from modelyard.spec.job_status import JobStatus
from modelyard.spec.model_analysis import ModelAnalysisJob, UploadedExplanation

KIND = "explanation"


def record_uploaded(context: ServiceContext, reference: str, upload: UploadedExplanation) -> Job:
    """A Completed explanation job of model version ``reference`` holding ``upload.explanation``; the result is
    stored before the job row, so a refused upload leaves no job behind."""
    analyses = ModelAnalysisService(context)
    model = analyses.models.get_row(reference)
    version = f"{model.name}:{model.version}"
    if upload.run is not None:
        try:
            analyses.jobs.get_row(upload.run)
        except NotFound:
            raise InvalidInput(f"run: job '{upload.run}' does not exist; name the run the explanation was computed "
                               "in, or leave run out") from None
    name = job_name()
    source = f"uploaded from run {upload.run}" if upload.run else "uploaded from a notebook"
    context.artifacts.put_stream(io.BytesIO(upload.explanation.model_dump_json().encode()), result_key(name, KIND))
    row = new_job(name=name, type=KIND, display_name=upload.comment or f"explanation of {version}",
                  description=upload.comment, experiment_name=model.name, compute=None, tags={}, parent=None,
                  spec=ModelAnalysisJob(type=KIND, model=version, uploaded=True, run=upload.run).model_dump(mode="json",
                                                                                            by_alias=True),
                  properties={"model": version, "analysis": KIND, "data": source, "uploaded_from": upload.run})
    start(row)
    finish(row, JobStatus.COMPLETED)
    with context.session() as session:
        session.add(row)
    return analyses.jobs.get(name)
