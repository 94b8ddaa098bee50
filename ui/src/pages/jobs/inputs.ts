// A job's inputs as a user reads them: "employeeattrition:1 (data asset)" rather than the spec's raw JSON.

/** One input: a literal as it is; a data input as its asset or path, with its type and mode when they are not the defaults. */
export function describeInput(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "object") return String(value);
  const input = value as { path?: unknown; type?: unknown; mode?: unknown; value?: unknown };
  if (typeof input.path !== "string") return input.value !== undefined ? String(input.value) : JSON.stringify(value);
  const asset = input.path.match(/^(?:data:|azureml:)([^/:]+:[^/:]+)$/);
  const where = asset ? `${asset[1]} (data asset)` : input.path;
  const extras = [typeof input.type === "string" ? input.type : null, typeof input.mode === "string" && input.mode !== "download" ? input.mode : null].filter(Boolean);
  return extras.length ? `${where} · ${extras.join(", ")}` : where;
}

export const describeInputs = (inputs: Record<string, unknown>) => Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, describeInput(value)]));
