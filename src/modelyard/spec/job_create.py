"""What a user submits as a job: one union of every job type, told apart by its ``type`` field.

The REST API takes this union as its body (so the OpenAPI document shows each shape), and the
services and the SDK validate with it. A new job type is one more member here, plus its case in
``JobService.create``.
"""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field, TypeAdapter

from modelyard.spec.automl import AutoMLJob
from modelyard.spec.job import CommandJob, PipelineJob

JobCreate = Annotated[Union[CommandJob, PipelineJob, AutoMLJob], Field(discriminator="type")]
JOB_CREATE: TypeAdapter[JobCreate] = TypeAdapter(JobCreate)
