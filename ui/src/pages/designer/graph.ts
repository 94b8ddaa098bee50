// The canvas's graph state as plain data: React Flow nodes and edges <-> a draft's graph and layout, the rules
// a new connection must pass before it is drawn, and which parameters a module shows for its current values.
import { Position, type Edge, type Node } from "@xyflow/react";
import {
  DATASET_MODULE,
  type DesignerDraft,
  type DraftGraph,
  type Layout,
  type ModuleSpec,
  type ParameterSpec,
  type PortSpec,
  type PortType,
} from "../../api/designer";

export type ModuleData = { module: string; parameters: Record<string, unknown> };
export type ModuleNode = Node<ModuleData, "module">;
export type Connection = { source: string; sourceHandle?: string | null; target: string; targetHandle?: string | null };
export type Modules = Map<string, ModuleSpec>;

export const PORT_COLORS: Record<PortType, string> = {
  DataFrameDirectory: "#2563eb",
  UntrainedModel: "#d97706",
  ModelDirectory: "#9333ea",
  TransformationDirectory: "#0d9488",
  EvaluationResult: "#16a34a",
};

export const edgeId = (c: Connection) => `${c.source}.${c.sourceHandle}->${c.target}.${c.targetHandle}`;

export function fromDraft(draft: Pick<DesignerDraft, "graph" | "layout">): { nodes: ModuleNode[]; edges: Edge[] } {
  const nodes = (draft.graph.nodes ?? []).map((node, index) => ({
    id: node.id,
    type: "module" as const,
    position: draft.layout?.[node.id] ?? { x: 40, y: 40 + 110 * index },
    data: { module: node.module, parameters: node.parameters ?? {} },
  }));
  const edges = (draft.graph.edges ?? []).map((e) => {
    const connection = { source: e.source, sourceHandle: e.source_port, target: e.target, targetHandle: e.target_port };
    return { id: edgeId(connection), ...connection };
  });
  return { nodes, edges };
}

/** The graph to save, with the draft's pipeline parameters (name -> default; none: no key). */
export function toGraph(nodes: ModuleNode[], edges: Edge[], parameters?: DraftGraph["parameters"]): DraftGraph {
  return {
    ...(parameters && Object.keys(parameters).length ? { parameters } : {}),
    nodes: nodes.map((n) => ({ id: n.id, module: n.data.module, parameters: n.data.parameters })),
    edges: edges.map((e) => ({ source: e.source, source_port: e.sourceHandle ?? "", target: e.target, target_port: e.targetHandle ?? "" })),
  };
}

export function toLayout(nodes: ModuleNode[]): Layout {
  return Object.fromEntries(nodes.map((n) => [n.id, { x: Math.round(n.position.x), y: Math.round(n.position.y) }]));
}

/** A node id that no node has yet, from the module's id (`split_data`, `split_data_2`, ...). */
export function freshId(module: string, taken: Iterable<string>): string {
  const ids = new Set(taken);
  if (!ids.has(module)) return module;
  let n = 2;
  while (ids.has(`${module}_${n}`)) n++;
  return `${module}_${n}`;
}

function reaches(edges: Edge[], from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const node = stack.pop()!;
    if (node === to) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const e of edges) if (e.source === node) stack.push(e.target);
  }
  return false;
}

/** Why `connection` may not be drawn (from an output port to an input port), or null when it may. */
export function connectionRefusal(modules: Modules, nodes: ModuleNode[], edges: Edge[], connection: Connection): string | null {
  const from = nodes.find((n) => n.id === connection.source);
  const to = nodes.find((n) => n.id === connection.target);
  if (!from || !to) return "connect two nodes of the canvas";
  const fromSpec = modules.get(from.data.module);
  const toSpec = modules.get(to.data.module);
  const out = fromSpec?.outputs.find((p) => p.name === connection.sourceHandle);
  const into = toSpec?.inputs.find((p) => p.name === connection.targetHandle);
  if (!fromSpec || !toSpec || !out || !into) return "connect an output port (bottom of a node) to an input port (top of a node)";
  if (from.id === to.id) return `${toSpec.display_name} cannot take its own output`;
  if (out.type !== into.type)
    return `${toSpec.display_name}'s input '${into.display_name}' takes a ${into.type}, but '${out.display_name}' of ${fromSpec.display_name} carries a ${out.type}`;
  if (edges.some((e) => e.target === to.id && e.targetHandle === into.name))
    return `${toSpec.display_name}'s input '${into.display_name}' is connected already; delete that connection first`;
  if (reaches(edges, to.id, from.id)) return `that connection would make a cycle: ${fromSpec.display_name} already depends on ${toSpec.display_name}`;
  return null;
}

/** The parameters that count for the module's current values (`enabled_when` met). */
export function shownParameters(spec: ModuleSpec, values: Record<string, unknown>): ParameterSpec[] {
  const valueOf = (name: string) => (name in values ? values[name] : spec.parameters.find((p) => p.name === name)?.default);
  return spec.parameters.filter((p) =>
    Object.entries(p.enabled_when ?? {}).every(([name, allowed]) => allowed.some((a) => String(a) === String(valueOf(name)))),
  );
}

export const isDataset = (node: ModuleNode) => node.data.module === DATASET_MODULE;

/** A server problem's message as shown beside its node, without the node's name in front. */
export const onNodeMessage = (message: string) => message.replace(/^node '[^']*' \([^)]*\)[,:]\s*/, "");

/** Each edge drawn in the colour of the port type it carries. */
export function colouredEdges(modules: Modules, nodes: ModuleNode[], edges: Edge[]): Edge[] {
  const moduleOf = new Map(nodes.map((n) => [n.id, n.data.module]));
  return edges.map((edge) => {
    const port = modules.get(moduleOf.get(edge.source) ?? "")?.outputs.find((p) => p.name === edge.sourceHandle);
    return port ? { ...edge, style: { stroke: PORT_COLORS[port.type], strokeWidth: 2 } } : edge;
  });
}

/** The display name of node `id`'s module (the id itself when the node or its module is unknown). */
export const moduleTitle = (modules: Modules, nodes: ModuleNode[], id: string): string =>
  modules.get(nodes.find((n) => n.id === id)?.data.module ?? "")?.display_name ?? id;

const NODE_WIDTH = 220; // .module-node's width
const NODE_HEIGHT = 52; // a one-line title
const PORT_SIZE = 11; // .module-node .port

/** Each node's size and port places as ModuleNodeView draws them, before the browser has measured them: React Flow then
 * draws the edges in the same paint as the nodes instead of after a measuring pass, and the measured ones replace these. */
export function withGeometry(nodes: ModuleNode[], modules: Modules): ModuleNode[] {
  const row = (ports: PortSpec[], type: "source" | "target", y: number) =>
    ports.map((port, i) => ({
      id: port.name,
      type,
      position: type === "target" ? Position.Top : Position.Bottom,
      x: (NODE_WIDTH * (i + 1)) / (ports.length + 1) - PORT_SIZE / 2,
      y,
      width: PORT_SIZE,
      height: PORT_SIZE,
    }));
  return nodes.map((node) => {
    const spec = modules.get(node.data.module);
    if (!spec) return node;
    const handles = [...row(spec.inputs, "target", -PORT_SIZE / 2), ...row(spec.outputs, "source", NODE_HEIGHT - PORT_SIZE / 2)];
    return { ...node, initialWidth: NODE_WIDTH, initialHeight: NODE_HEIGHT, handles };
  });
}

/** A draft's nodes (with their geometry, see withGeometry) and edges, as the canvas opens them. */
export function openedCanvas(draft: Pick<DesignerDraft, "graph" | "layout">, modules: Modules): { nodes: ModuleNode[]; edges: Edge[] } {
  const { nodes, edges } = fromDraft(draft);
  return { nodes: withGeometry(nodes, modules), edges };
}
