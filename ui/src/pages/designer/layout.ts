// Auto-layout: a graph's nodes placed with dagre, each by its centre (the Designer top to bottom, lineage left to right).
import dagre from "@dagrejs/dagre";
import type { Edge, Node } from "@xyflow/react";

const WIDTH = 220;
const HEIGHT = 90;

export function autoLayout<N extends Node>(nodes: N[], edges: Pick<Edge, "source" | "target">[], direction: "TB" | "LR" = "TB"): N[] {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: direction, nodesep: 40, ranksep: 70 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: node.measured?.width ?? node.width ?? WIDTH, height: node.measured?.height ?? node.height ?? HEIGHT });
  for (const edge of edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  return nodes.map((node) => {
    const { x, y, width, height } = graph.node(node.id);
    return { ...node, position: { x: x - width / 2, y: y - height / 2 } };
  });
}
