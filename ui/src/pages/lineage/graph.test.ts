import type { LineageGraph } from "../../api/lineage";
import { nodePage, toFlow } from "./graph";

const graph: LineageGraph = {
  root: "model:attrition:2",
  depth: 2,
  nodes: [
    { id: "data:hr:1", kind: "data", name: "hr", version: "1", attributes: { type: "mltable" } },
    { id: "job:brave_tiger", kind: "job", name: "brave_tiger", version: null, attributes: { type: "command", status: "Completed" } },
    { id: "model:attrition:2", kind: "model", name: "attrition", version: "2", attributes: {} },
    { id: "online-deployment:ep/blue", kind: "online-deployment", name: "ep/blue", version: null, attributes: { model: "attrition:2", state: "Succeeded" } },
  ],
  edges: [
    { source: "data:hr:1", target: "job:brave_tiger", type: "input" },
    { source: "job:brave_tiger", target: "model:attrition:2", type: "produced" },
    { source: "model:attrition:2", target: "online-deployment:ep/blue", type: "deployed" },
    { source: "model:attrition:2", target: "online-endpoint:gone", type: "serves" },
  ],
};

describe("toFlow", () => {
  it("labels each node by kind, version and attributes, marks the root and links each to its page", () => {
    const { nodes } = toFlow(graph);
    const byId = Object.fromEntries(nodes.map((n) => [n.id, n.data]));
    expect(byId["data:hr:1"]).toMatchObject({ kindLabel: "Data", label: "hr:1", detail: "mltable", page: "/data/hr/1", root: false });
    expect(byId["job:brave_tiger"]).toMatchObject({ label: "brave_tiger", detail: "command · Completed", page: "/jobs/brave_tiger" });
    expect(byId["model:attrition:2"]).toMatchObject({ root: true, page: "/models/attrition/2", detail: null });
    expect(byId["online-deployment:ep/blue"]).toMatchObject({ label: "ep/blue", detail: "attrition:2 · Succeeded", page: "/endpoints/ep" });
    expect(nodes.find((n) => n.id === "model:attrition:2")?.className).toContain("root");
  });

  it("keeps the edges between known nodes, labelled by type, and lays the graph out left to right along them", () => {
    const { nodes, edges } = toFlow(graph);
    expect(edges.map((e) => [e.source, e.target, e.label])).toEqual([
      ["data:hr:1", "job:brave_tiger", "input"],
      ["job:brave_tiger", "model:attrition:2", "produced"],
      ["model:attrition:2", "online-deployment:ep/blue", "deployed"],
    ]);
    const x = (id: string) => nodes.find((n) => n.id === id)!.position.x;
    expect(x("data:hr:1")).toBeLessThan(x("job:brave_tiger"));
    expect(x("job:brave_tiger")).toBeLessThan(x("model:attrition:2"));
    expect(x("model:attrition:2")).toBeLessThan(x("online-deployment:ep/blue"));
  });
});

describe("nodePage", () => {
  it("has no page for kinds the studio does not show", () => {
    expect(nodePage({ kind: "component", name: "train", version: "1" })).toBeNull();
    expect(nodePage({ kind: "batch-endpoint", name: "b", version: null })).toBeNull();
  });
});
