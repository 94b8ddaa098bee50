// The lineage graph around one node.
import { useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "./client";

export type LineageGraph = Schemas["LineageGraph"];
export type LineageNode = Schemas["LineageNode"];
export type LineageEdge = Schemas["LineageEdge"];
export type NodeKind = LineageNode["kind"];

export function useLineage(node: string, depth: number) {
  return useQuery({
    queryKey: ["lineage", node, depth],
    queryFn: () => api.get<LineageGraph>(`/api/lineage?${new URLSearchParams({ node, depth: String(depth) })}`),
    enabled: node !== "",
  });
}
