// What the environment pages show and send, kept out of the components so it is unit-tested.
import type { Environment, EnvironmentCreate } from "../../api/environments";
import { toYaml } from "../../components/yaml";

const SCHEMA = "https://azuremlschemas.azureedge.net/latest/environment.schema.json";

/** Requirement lines typed in a text box: one a line, blank lines and `#` comments left out. */
export function parseRequirements(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
    .filter(Boolean);
}

/** What the build form sends: a python version and pip requirements (the server numbers the version). */
export function buildSpec(form: { name: string; python: string; requirements: string; description: string }): EnvironmentCreate {
  return {
    name: form.name.trim(),
    python: form.python.trim() || null,
    pip: parseRequirements(form.requirements),
    description: form.description.trim() || null,
  };
}

/** The same content as a new version (a version is built once: a build that failed on a passing cause is built again this way). */
export function rebuildSpec(environment: Environment): EnvironmentCreate {
  return { name: environment.name, python: environment.python ?? null, pip: [...(environment.pip ?? [])], description: environment.description ?? null };
}

/** The version as the YAML `modelyard environment create -f` takes. */
export function environmentYaml(environment: Environment): string {
  const { name, version, description, python, tags } = environment;
  const head = toYaml({ $schema: SCHEMA, name, version, description, python, tags: Object.keys(tags ?? {}).length ? tags : null });
  const pip = environment.pip ?? [];
  return pip.length ? `${head}pip:\n${pip.map((line) => `  - ${JSON.stringify(line)}`).join("\n")}\n` : head;
}

/** The status pill's tone: Ready ok, Failed failed, a build under way active. */
export function stateTone(state: Environment["state"]): "ok" | "failed" | "active" {
  return state === "Ready" ? "ok" : state === "Failed" ? "failed" : "active";
}

export const versionLink = (environment: Pick<Environment, "name" | "version">) =>
  `/environments/${encodeURIComponent(environment.name)}/${environment.version}`;
