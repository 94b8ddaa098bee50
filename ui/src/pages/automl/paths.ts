import type { Job } from "../../api/jobs";

export const runPath = (name: string) => `/automl/runs/${encodeURIComponent(name)}`;
export const trialPath = (run: string, step: string) => `${runPath(run)}/trials/${encodeURIComponent(step)}`;

/** `employeeattrition:1` from an AutoML job's pinned training data (`data:employeeattrition:1`). */
export function datasetOf(job: Job): string {
  const data = job.spec.type === "automl" ? job.spec.training_data : "";
  const path = typeof data === "string" ? data : data.path;
  return path.startsWith("data:") ? path.slice("data:".length) : path;
}

/** The column an AutoML job learns to predict. */
export const targetOf = (job: Job): string => (job.spec.type === "automl" ? job.spec.target_column_name : "");
