import type { Job } from "../../api/jobs";

export const runPath = (name: string) => `/automl/runs/${encodeURIComponent(name)}`;
export const trialPath = (run: string, step: string) => `${runPath(run)}/trials/${encodeURIComponent(step)}`;

/** `employeeattrition:1` from the job's pinned training data (`data:employeeattrition:1`). */
export function datasetOf(job: Job): string {
  const path = (job.spec as { training_data?: { path?: string } }).training_data?.path ?? "";
  return path.startsWith("data:") ? path.slice("data:".length) : path;
}
