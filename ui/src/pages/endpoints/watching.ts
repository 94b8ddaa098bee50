// Which collected data belongs to an endpoint, and which monitors watch it (read its collected data or name it as
// their target). A monitor's definition is free-form YAML here, so its strings are searched.
import type { CollectedData } from "../../api/data";
import type { Monitor } from "../../api/monitors";

export function collectedOf(endpoint: string, collected: CollectedData[]): CollectedData[] {
  return collected
    .filter((c) => c.endpoint_name === endpoint)
    .sort((a, b) => a.deployment_name.localeCompare(b.deployment_name) || a.collection.localeCompare(b.collection));
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/** Monitors whose definition names one of the endpoint's collected data (``azureml:<name>@...``) or the endpoint as
 * ``azureml:<endpoint>:<deployment>``; sorted by name. */
export function monitorsWatching(endpoint: string, collected: CollectedData[], monitors: Monitor[]): Monitor[] {
  const names = collected.map((c) => c.name);
  const reads = (text: string) => {
    const bare = text.replace(/^azureml:/, "").replace(/(@.*|:\d+)$/, "");
    return names.includes(bare) || text.startsWith(`azureml:${endpoint}:`);
  };
  return monitors.filter((m) => strings(m.definition).some(reads)).sort((a, b) => a.name.localeCompare(b.name));
}
