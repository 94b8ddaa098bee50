// Copy/paste on the canvas: the selected nodes with the edges between them, pasted under fresh ids, offset.
import type { Edge } from "@xyflow/react";
import { edgeId, freshId, type ModuleNode } from "./graph";

export type Copied = { nodes: ModuleNode[]; edges: Edge[] };
export const PASTE_OFFSET = 40;

/** The selected nodes and the edges that run between two of them (an edge to an unselected node stays behind). */
export function copySelection(nodes: ModuleNode[], edges: Edge[]): Copied | null {
  const picked = nodes.filter((n) => n.selected);
  if (!picked.length) return null;
  const ids = new Set(picked.map((n) => n.id));
  return { nodes: structuredClone(picked), edges: structuredClone(edges.filter((e) => ids.has(e.source) && ids.has(e.target))) };
}

/**
 * The canvas with `copied` added: each node under a fresh id (the module's id, numbered past every taken one) and
 * moved by `times` offsets, the copied edges re-pointed at the new ids; the pasted nodes alone are selected.
 */
export function paste(nodes: ModuleNode[], edges: Edge[], copied: Copied, times = 1): { nodes: ModuleNode[]; edges: Edge[] } {
  const taken = new Set(nodes.map((n) => n.id));
  const renamed = new Map<string, string>();
  for (const node of copied.nodes) {
    const id = freshId(node.data.module, taken);
    taken.add(id);
    renamed.set(node.id, id);
  }
  const shift = PASTE_OFFSET * times;
  const pasted: ModuleNode[] = copied.nodes.map((node) => ({
    id: renamed.get(node.id)!,
    type: node.type,
    position: { x: node.position.x + shift, y: node.position.y + shift },
    data: structuredClone(node.data),
    selected: true,
  }));
  const links: Edge[] = copied.edges.map((edge) => {
    const c = { source: renamed.get(edge.source)!, sourceHandle: edge.sourceHandle, target: renamed.get(edge.target)!, targetHandle: edge.targetHandle };
    return { ...c, id: edgeId(c) } as Edge;
  });
  return { nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted], edges: [...edges, ...links] };
}
