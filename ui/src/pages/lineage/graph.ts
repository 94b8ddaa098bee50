// The lineage graph of the API as React Flow nodes and edges: labelled by kind, linked to each node's page, laid out left to right.
import { MarkerType, type Edge, type Node } from "@xyflow/react";
import type { LineageGraph, LineageNode, NodeKind } from "../../api/lineage";
import { autoLayout } from "../designer/layout";

export type LineageNodeData = {
  kind: NodeKind;
  kindLabel: string;
  label: string;
  detail: string | null;
  /** The studio page of the node, when it has one. */
  page: string | null;
  /** The node the graph was walked from. */
  root: boolean;
  /** The node's own lineage, to walk the graph from it. */
  id: string;
};
export type LineageFlowNode = Node<LineageNodeData, "lineage">;

export const KIND_LABELS: Record<NodeKind, string> = {
  data: "Data",
  job: "Job",
  component: "Component",
  model: "Model",
  "online-endpoint": "Online endpoint",
  "online-deployment": "Online deployment",
  "batch-endpoint": "Batch endpoint",
  "batch-deployment": "Batch deployment",
  environment: "Environment",
};

const NODE_WIDTH = 210;
const NODE_HEIGHT = 64;
const enc = encodeURIComponent;

/** The studio page showing the node, or null for kinds without one (components, batch endpoints). */
export function nodePage(node: Pick<LineageNode, "kind" | "name" | "version">): string | null {
  switch (node.kind) {
    case "data":
      return `/data/${enc(node.name)}/${enc(node.version ?? "latest")}`;
    case "job":
      return `/jobs/${enc(node.name)}`;
    case "model":
      return `/models/${enc(node.name)}/${enc(node.version ?? "latest")}`;
    case "online-endpoint":
      return `/endpoints/${enc(node.name)}`;
    case "online-deployment":
      return `/endpoints/${enc(node.name.split("/")[0])}`;
    default:
      return null;
  }
}

/** A short second line: a job's type and status, a deployment's state, a data or model version's type. */
function detailOf(node: LineageNode): string | null {
  const a = (node.attributes ?? {}) as Record<string, unknown>;
  const parts = node.kind === "job" ? [a.type, a.status] : node.kind === "online-deployment" ? [a.model, a.state] : [a.type];
  const text = parts.filter((p) => typeof p === "string" && p).join(" · ");
  return text || null;
}

export function toFlow(graph: LineageGraph): { nodes: LineageFlowNode[]; edges: Edge[] } {
  const nodes: LineageFlowNode[] = graph.nodes.map((node) => ({
    id: node.id,
    type: "lineage",
    position: { x: 0, y: 0 },
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
    className: `lineage-node kind-${node.kind}${node.id === graph.root ? " root" : ""}`,
    data: {
      id: node.id,
      kind: node.kind,
      kindLabel: KIND_LABELS[node.kind] ?? node.kind,
      label: node.version ? `${node.name}:${node.version}` : node.name,
      detail: detailOf(node),
      page: nodePage(node),
      root: node.id === graph.root,
    },
  }));
  const known = new Set(nodes.map((n) => n.id));
  const edges: Edge[] = graph.edges
    .filter((e) => known.has(e.source) && known.has(e.target))
    .map((e) => ({
      id: `${e.source}->${e.target}:${e.type}`,
      source: e.source,
      target: e.target,
      label: e.type,
      markerEnd: { type: MarkerType.ArrowClosed },
      className: `lineage-edge edge-${e.type}`,
    }));
  return { nodes: autoLayout(nodes, edges, "LR"), edges };
}
