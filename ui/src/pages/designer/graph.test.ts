import { describe, expect, it } from "vitest";
import type { ModuleSpec } from "../../api/designer";
import { colouredEdges, connectionRefusal, edgeId, freshId, fromDraft, onNodeMessage, openedCanvas, PORT_COLORS, shownParameters, toGraph, type ModuleNode, type Modules } from "./graph";

const table = (name: string, optional = false) => ({ name, display_name: name, type: "DataFrameDirectory" as const, optional });
const spec = (id: string, inputs: ModuleSpec["inputs"], outputs: ModuleSpec["outputs"], parameters: ModuleSpec["parameters"] = []): ModuleSpec => ({
  id, display_name: id, category: "c", description: "", inputs, outputs, parameters,
});
const modules: Modules = new Map([
  ["dataset", spec("dataset", [], [table("output")])],
  ["split_data", spec("split_data", [table("dataset")], [table("results_dataset1"), table("results_dataset2")], [
    { name: "splitting_mode", display_name: "Splitting mode", kind: "enum", default: "Split Rows", choices: ["Split Rows", "Regular Expression"] },
    { name: "fraction", display_name: "Fraction", kind: "number", default: 0.5, enabled_when: { splitting_mode: ["Split Rows"] } },
  ])],
  ["train_model", spec("train_model", [{ name: "untrained_model", display_name: "Untrained model", type: "UntrainedModel" }, table("dataset")],
    [{ name: "trained_model", display_name: "Trained model", type: "ModelDirectory" }])],
]);
const node = (id: string, module: string): ModuleNode => ({ id, type: "module", position: { x: 0, y: 0 }, data: { module, parameters: {} } });
const nodes = [node("hr", "dataset"), node("split", "split_data"), node("split_2", "split_data"), node("train", "train_model")];
const link = (source: string, sourceHandle: string, target: string, targetHandle: string) => {
  const c = { source, sourceHandle, target, targetHandle };
  return { id: edgeId(c), ...c };
};

describe("connection rules", () => {
  it("lets a table output feed a table input", () => {
    expect(connectionRefusal(modules, nodes, [], link("hr", "output", "split", "dataset"))).toBeNull();
  });
  it("refuses ports of different types and says which", () => {
    const why = connectionRefusal(modules, nodes, [], link("split", "results_dataset1", "train", "untrained_model"));
    expect(why).toContain("takes a UntrainedModel, but 'results_dataset1' of split_data carries a DataFrameDirectory");
  });
  it("refuses a second edge into one input", () => {
    const edges = [link("hr", "output", "split", "dataset")];
    expect(connectionRefusal(modules, nodes, edges, link("split_2", "results_dataset1", "split", "dataset"))).toContain("connected already");
  });
  it("refuses a cycle and a node feeding itself", () => {
    const edges = [link("split", "results_dataset1", "split_2", "dataset")];
    expect(connectionRefusal(modules, nodes, edges, link("split_2", "results_dataset1", "split", "dataset"))).toContain("cycle");
    expect(connectionRefusal(modules, nodes, [], link("split", "results_dataset1", "split", "dataset"))).toContain("its own output");
  });
  it("refuses an input used as a source", () => {
    expect(connectionRefusal(modules, nodes, [], link("split", "dataset", "split_2", "dataset"))).toContain("connect an output port");
  });
});

describe("graph <-> canvas", () => {
  it("round-trips a draft's graph and places its nodes by the layout", () => {
    const graph = {
      nodes: [{ id: "hr", module: "dataset", parameters: { asset: "hr:1" } }, { id: "split", module: "split_data", parameters: {} }],
      edges: [{ source: "hr", source_port: "output", target: "split", target_port: "dataset" }],
    };
    const canvas = fromDraft({ graph, layout: { split: { x: 10, y: 200 } } });
    expect(canvas.nodes[1].position).toEqual({ x: 10, y: 200 });
    expect(toGraph(canvas.nodes, canvas.edges)).toEqual(graph);
  });
  it("keeps the draft's pipeline parameters in what it saves", () => {
    const graph = {
      parameters: { fraction: 0.7 },
      nodes: [{ id: "split", module: "split_data", parameters: { fraction: "${{parent.inputs.fraction}}" } }],
      edges: [],
    };
    const canvas = fromDraft({ graph, layout: {} });
    expect(toGraph(canvas.nodes, canvas.edges, graph.parameters)).toEqual(graph);
    expect(toGraph(canvas.nodes, canvas.edges, {})).not.toHaveProperty("parameters");
  });
  it("names new nodes after their module without clashing", () => {
    expect(freshId("split_data", ["hr"])).toBe("split_data");
    expect(freshId("split_data", ["split_data", "split_data_2"])).toBe("split_data_3");
  });
  it("shows a parameter only while the parameter it depends on has an allowed value", () => {
    const split = modules.get("split_data")!;
    expect(shownParameters(split, {}).map((p) => p.name)).toEqual(["splitting_mode", "fraction"]);
    expect(shownParameters(split, { splitting_mode: "Regular Expression" }).map((p) => p.name)).toEqual(["splitting_mode"]);
  });
});

describe("problems on nodes", () => {
  it("drop the node's name the node already shows", () => {
    expect(onNodeMessage("node 'split' (Split Data): required input port 'Dataset' (dataset) is not connected")).toBe(
      "required input port 'Dataset' (dataset) is not connected",
    );
    expect(onNodeMessage("node 'sel' (Select Columns in Dataset), parameter 'Select Columns': is required")).toBe("parameter 'Select Columns': is required");
  });
});

describe("edges", () => {
  it("take the colour of the port type they carry", () => {
    const [edge] = colouredEdges(modules, nodes, [link("hr", "output", "split", "dataset")]);
    expect(edge.style).toEqual({ stroke: PORT_COLORS.DataFrameDirectory, strokeWidth: 2 });
  });
});

describe("opening a draft", () => {
  it("gives each node its size and port places before it is measured, so edges draw with the nodes", () => {
    const draft = { graph: { nodes: [{ id: "split", module: "split_data" }, { id: "x", module: "unknown" }], edges: [] }, layout: {} };
    const [split, unknown] = openedCanvas(draft, modules).nodes;
    expect([split.initialWidth, split.initialHeight]).toEqual([220, 52]);
    expect(split.handles?.map((h) => [h.id, h.type, h.position, h.x, h.y])).toEqual([
      ["dataset", "target", "top", 110 - 5.5, -5.5],
      ["results_dataset1", "source", "bottom", 220 / 3 - 5.5, 52 - 5.5],
      ["results_dataset2", "source", "bottom", 440 / 3 - 5.5, 52 - 5.5],
    ]);
    expect(unknown.handles).toBeUndefined(); // a module this studio does not know is measured as it draws
  });
});
