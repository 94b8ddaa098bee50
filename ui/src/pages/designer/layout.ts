// Auto-layout: the graph top to bottom with dagre, each node placed by its centre.
import dagre from "@dagrejs/dagre";
import type { Edge } from "@xyflow/react";
import type { ModuleNode } from "./graph";

const WIDTH = 220;
const HEIGHT = 90;

export function autoLayout(nodes: ModuleNode[], edges: Edge[]): ModuleNode[] {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "TB", nodesep: 40, ranksep: 70 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: node.measured?.width ?? WIDTH, height: node.measured?.height ?? HEIGHT });
  for (const edge of edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  return nodes.map((node) => {
    const { x, y, width, height } = graph.node(node.id);
    return { ...node, position: { x: x - width / 2, y: y - height / 2 } };
  });
}
