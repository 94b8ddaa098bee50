import type { Model } from "../../api/models";

export type DataRef = { name: string; version: string };

/** `hr:3`, `hr@latest` or `hr` (a data version in a model's lineage) as a name and a version slot. */
export function parseDataRef(ref: string): DataRef {
  const at = ref.search(/[:@][^:@]*$/);
  return at > 0 ? { name: ref.slice(0, at), version: ref.slice(at + 1) } : { name: ref, version: "latest" };
}

/** What the model came from: the data versions its job read, and the job (and its parent, for AutoML trials). */
export function lineageOf(model: Model): { data: DataRef[]; job: string | null; parentJob: string | null; run: string | null } {
  const lineage = (model.lineage ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof lineage[key] === "string" && lineage[key] ? (lineage[key] as string) : null);
  const data = Array.isArray(lineage.data) ? lineage.data.filter((d): d is string => typeof d === "string").map(parseDataRef) : [];
  return { data, job: text("job"), parentJob: text("parent_job"), run: text("mlflow_run_id") };
}
