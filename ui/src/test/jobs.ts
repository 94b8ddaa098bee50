// Jobs as the API returns them, with typed specs, for component and module tests.
import type { Schemas } from "../api/client";
import type { Job } from "../api/jobs";

type Spec = Job["spec"];

export const job = (spec: Spec, fields: Partial<Job> = {}): Job =>
  ({ name: "j", type: spec.type, status: "Running", experiment_name: "e", created_at: "2026-01-01T00:00:00Z", spec, ...fields }) as Job;

export const automlSpec = (fields: Partial<Schemas["AutoMLJob"]> = {}): Spec => ({
  type: "automl",
  task: "classification",
  training_data: { path: "data:employeeattrition:1", type: "mltable", mode: "download" },
  target_column_name: "Attrition",
  limits: { timeout_minutes: 1 },
  ...fields,
});

export const commandSpec = (fields: Partial<Schemas["CommandJob"]> = {}): Spec => ({ type: "command", command: "python train.py", ...fields });
