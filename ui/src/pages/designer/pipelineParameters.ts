// Pipeline parameters (Azure's "set as pipeline parameter") as canvas state: the draft's `parameters` (name -> default)
// and the module parameters bound to them, whose value is written ${{parent.inputs.<name>}} as the server reads it.
import { ApiError } from "../../api/client";
import type { DraftGraph, ParameterSpec } from "../../api/designer";
import { isDataset, type ModuleNode, type Modules } from "./graph";

export type PipelineParameters = NonNullable<DraftGraph["parameters"]>;
/** A server error about one pipeline parameter, shown under its field. */
export type FieldError = { name: string; message: string } | null;
export type Use = { node: string; parameter: string };
/** One pipeline parameter as the panel lists it: `type` is the kind of the module parameters bound to it. */
export type PipelineParameterRow = { name: string; default: unknown; type: string; uses: Use[]; spec: ParameterSpec | undefined };

const BINDING = /^\$\{\{\s*parent\.inputs\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The node parameter value that binds pipeline parameter `name`. */
export const binding = (name: string) => `\${{parent.inputs.${name}}}`;

/** The pipeline parameter a node parameter value binds, or null for a plain value. */
export const boundName = (value: unknown): string | null => (typeof value === "string" ? (BINDING.exec(value)?.[1] ?? null) : null);

function usesOf(nodes: ModuleNode[], name: string): Use[] {
  return nodes.flatMap((node) =>
    Object.entries(node.data.parameters)
      .filter(([, value]) => boundName(value) === name)
      .map(([parameter]) => ({ node: node.id, parameter })),
  );
}

/** The draft's pipeline parameters in their order, each with the module parameters bound to it and the first one's definition. */
export function pipelineParameterRows(modules: Modules, nodes: ModuleNode[], parameters: PipelineParameters): PipelineParameterRow[] {
  return Object.entries(parameters).map(([name, value]) => {
    const uses = usesOf(nodes, name);
    const first = uses[0] && nodes.find((n) => n.id === uses[0].node);
    const spec = first && modules.get(first.data.module)?.parameters.find((p) => p.name === uses[0].parameter);
    return { name, default: value, type: spec?.kind ?? "unbound", uses, spec };
  });
}

/** Why `name` cannot name a new pipeline parameter, or null when it can. */
export function nameRefusal(name: string, parameters: PipelineParameters, nodes: ModuleNode[]): string | null {
  if (!NAME.test(name)) return `'${name}' is no pipeline parameter name: use letters, digits and '_', not starting with a digit`;
  if (name in parameters) return `the pipeline already has a parameter '${name}'`;
  if (nodes.some((n) => isDataset(n) && n.id === name)) return `'${name}' names a dataset node; a run's values could not tell them apart`;
  return null;
}

type State = { nodes: ModuleNode[]; parameters: PipelineParameters };

function withParameter(nodes: ModuleNode[], id: string, key: string, value: unknown): ModuleNode[] {
  return nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, parameters: { ...n.data.parameters, [key]: value } } } : n));
}

function rebound(nodes: ModuleNode[], name: string, value: (use: Use) => unknown): ModuleNode[] {
  return usesOf(nodes, name).reduce((ns, use) => withParameter(ns, use.node, use.parameter, value(use)), nodes);
}

/** `parameters` with `name`'s default set (a new parameter goes last); an emptied default is null, never a dropped key. */
export const setDefault = (parameters: PipelineParameters, name: string, value: unknown): PipelineParameters => ({ ...parameters, [name]: value ?? null });

/** Rename a pipeline parameter, in its place in the list, and every binding of it. */
export function renameParameter({ nodes, parameters }: State, from: string, to: string): State {
  const renamed = Object.fromEntries(Object.entries(parameters).map(([name, value]) => [name === from ? to : name, value]));
  return { nodes: rebound(nodes, from, () => binding(to)), parameters: renamed };
}

/** Delete a pipeline parameter: the module parameters bound to it keep its default as their plain value. */
export function deleteParameter({ nodes, parameters }: State, name: string): State {
  const { [name]: value, ...rest } = parameters;
  return { nodes: rebound(nodes, name, () => value), parameters: rest };
}

/** Bind node `id`'s parameter `key` to pipeline parameter `name`; a new one starts with the node's `current` value as default. */
export function bindParameter({ nodes, parameters }: State, id: string, key: string, name: string, current: unknown): State {
  return { nodes: withParameter(nodes, id, key, binding(name)), parameters: name in parameters ? parameters : { ...parameters, [name]: current ?? null } };
}

/** Unbind node `id`'s parameter `key`: it takes its pipeline parameter's default as a plain value (the parameter stays). */
export function unbindParameter({ nodes, parameters }: State, id: string, key: string): ModuleNode[] {
  const node = nodes.find((n) => n.id === id);
  const name = boundName(node?.data.parameters[key]);
  return name === null ? nodes : withParameter(nodes, id, key, parameters[name]);
}

/** A run's values: each parameter's entered value, else its default; an emptied field falls back to the default. */
export function runValues(rows: PipelineParameterRow[], entered: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(rows.map((row) => [row.name, entered[row.name] ?? row.default]));
}

/** The pipeline parameter a server message is about (`pipeline parameter 'fraction' = 2: ...`), if it names one of `names`. */
export function parameterOfMessage(message: string, names: string[]): string | null {
  const named = /pipeline parameter '([^']+)'/.exec(message)?.[1];
  return named !== undefined && names.includes(named) ? named : null;
}

/** The form definition of a pipeline parameter's value: its bound module parameter's, labelled `label` (default: its name). */
export function valueSpec(row: PipelineParameterRow, idPrefix: string, label = row.name): ParameterSpec {
  const base: ParameterSpec = row.spec ?? { name: row.name, display_name: row.name, kind: "string" };
  return { ...base, name: `${idPrefix}-${row.name}`, display_name: label, default: row.default, optional: false, enabled_when: null };
}

/** A pipeline endpoint version's run parameters (dataset node -> asset, pipeline parameter -> default) as rows, typed
 * by the canvas's pipeline parameters where they match. */
export function endpointParameterRows(published: Record<string, unknown>, rows: PipelineParameterRow[]): PipelineParameterRow[] {
  return Object.entries(published).map(([name, value]) => {
    const row = rows.find((r) => r.name === name);
    return row ? { ...row, default: value } : { name, default: value, type: "data asset", uses: [], spec: undefined };
  });
}

/** A failed submit or run as an error under the field of the pipeline parameter it names, or null for any other failure. */
export function fieldErrorOf(failure: unknown, names: string[]): FieldError {
  if (!(failure instanceof ApiError)) return null;
  const name = parameterOfMessage(failure.detail, names);
  return name === null ? null : { name, message: failure.detail };
}
