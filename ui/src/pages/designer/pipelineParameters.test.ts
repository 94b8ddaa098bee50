import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client";
import type { ModuleSpec } from "../../api/designer";
import { toGraph, type ModuleNode, type Modules } from "./graph";
import {
  bindParameter,
  binding,
  boundName,
  deleteParameter,
  endpointParameterRows,
  fieldErrorOf,
  nameRefusal,
  pipelineParameterRows,
  renameParameter,
  runValues,
  setDefault,
  unbindParameter,
  valueSpec,
} from "./pipelineParameters";

const fraction = { name: "fraction", display_name: "Fraction", kind: "number" as const, default: 0.5, minimum: 0, maximum: 1 };
const split: ModuleSpec = { id: "split_data", display_name: "Split Data", category: "c", description: "", inputs: [], outputs: [], parameters: [fraction] };
const modules: Modules = new Map([["split_data", split]]);
const node = (id: string, module: string, parameters: Record<string, unknown> = {}): ModuleNode => ({ id, type: "module", position: { x: 0, y: 0 }, data: { module, parameters } });
const nodes = [node("hr", "dataset", { asset: "hr:1" }), node("split", "split_data", { fraction: 0.7 }), node("split_2", "split_data")];
const parametersOf = (ns: ModuleNode[], id: string) => ns.find((n) => n.id === id)!.data.parameters;

describe("bindings", () => {
  it("writes and reads ${{parent.inputs.<name>}} as the server does, spaces allowed inside", () => {
    expect(binding("f")).toBe("${{parent.inputs.f}}");
    expect(boundName(binding("f"))).toBe("f");
    expect(boundName("${{ parent.inputs.f }}")).toBe("f");
    expect(boundName("${{parent.jobs.a.outputs.b}}")).toBeNull();
    expect(boundName(0.7)).toBeNull();
  });

  it("binds a module parameter to a new parameter whose default is the node's value, and a second one to the same parameter", () => {
    const one = bindParameter({ nodes, parameters: {} }, "split", "fraction", "f", 0.7);
    expect(one.parameters).toEqual({ f: 0.7 });
    expect(parametersOf(one.nodes, "split").fraction).toBe("${{parent.inputs.f}}");
    const two = bindParameter(one, "split_2", "fraction", "f", 0.5);
    expect(two.parameters).toEqual({ f: 0.7 }); // joining keeps the default
    const [row] = pipelineParameterRows(modules, two.nodes, two.parameters);
    expect(row).toMatchObject({ name: "f", default: 0.7, type: "number", uses: [{ node: "split", parameter: "fraction" }, { node: "split_2", parameter: "fraction" }] });
    expect(row.spec).toBe(fraction);
  });

  it("unbinds to the parameter's default as a plain value and keeps the parameter", () => {
    const bound = bindParameter({ nodes, parameters: {} }, "split", "fraction", "f", 0.7);
    const unbound = unbindParameter({ ...bound, parameters: setDefault(bound.parameters, "f", 0.6) }, "split", "fraction");
    expect(parametersOf(unbound, "split").fraction).toBe(0.6);
    expect(pipelineParameterRows(modules, unbound, { f: 0.6 })).toMatchObject([{ name: "f", type: "unbound", uses: [] }]);
  });
});

describe("the parameters list", () => {
  const bound = bindParameter(bindParameter({ nodes, parameters: { seed: 1 } }, "split", "fraction", "f", 0.7), "split_2", "fraction", "f", 0.5);

  it("renames a parameter in its place and rebinds every use", () => {
    const renamed = renameParameter(bound, "f", "share");
    expect(Object.keys(renamed.parameters)).toEqual(["seed", "share"]);
    expect(parametersOf(renamed.nodes, "split").fraction).toBe(binding("share"));
    expect(parametersOf(renamed.nodes, "split_2").fraction).toBe(binding("share"));
  });

  it("deletes a parameter: its uses keep its default as a plain value", () => {
    const deleted = deleteParameter(bound, "f");
    expect(deleted.parameters).toEqual({ seed: 1 });
    expect(parametersOf(deleted.nodes, "split").fraction).toBe(0.7);
    expect(parametersOf(deleted.nodes, "split_2").fraction).toBe(0.7);
  });

  it("keeps an emptied default as null so that the parameter is still saved", () => {
    const parameters = setDefault({ f: 0.7 }, "f", undefined);
    expect(toGraph([], [], parameters).parameters).toEqual({ f: null });
  });

  it("refuses names that the server would not take, with the reason", () => {
    expect(nameRefusal("2fold", {}, nodes)).toContain("letters, digits and '_'");
    expect(nameRefusal("a-b", {}, nodes)).toContain("letters, digits and '_'");
    expect(nameRefusal("f", { f: 1 }, nodes)).toContain("already has a parameter 'f'");
    expect(nameRefusal("hr", {}, nodes)).toContain("names a dataset node");
    expect(nameRefusal("fraction_2", {}, nodes)).toBeNull();
  });
});

describe("a run's values", () => {
  const rows = pipelineParameterRows(modules, bindParameter({ nodes, parameters: { seed: 1 } }, "split", "fraction", "f", 0.7).nodes, { seed: 1, f: 0.7 });

  it("takes entered values and the defaults of the others (an emptied field is the default)", () => {
    expect(runValues(rows, { f: 0.9 })).toEqual({ seed: 1, f: 0.9 });
    expect(runValues(rows, { f: undefined })).toEqual({ seed: 1, f: 0.7 });
  });

  it("asks each value in its module parameter's control, with its range, named after the pipeline parameter", () => {
    const spec = valueSpec(rows[1], "run");
    expect(spec).toMatchObject({ name: "run-f", display_name: "f", kind: "number", minimum: 0, maximum: 1, default: 0.7 });
    expect(valueSpec(rows[0], "run")).toMatchObject({ kind: "string", default: 1 }); // bound to nothing: text
  });

  it("puts a server error under the field of the parameter it names, and no other error", () => {
    const names = rows.map((r) => r.name);
    const refused = new ApiError(400, "InvalidInput", "pipeline parameter 'f' = 2: must be at most 1 (it sets node 'split' (Split Data), ...)");
    expect(fieldErrorOf(refused, names)).toEqual({ name: "f", message: refused.detail });
    expect(fieldErrorOf(new ApiError(400, "InvalidInput", "pipeline parameter 'other' = 1: ..."), names)).toBeNull();
    expect(fieldErrorOf(new ApiError(400, "InvalidGraph", "node 'split' is not connected"), names)).toBeNull();
    expect(fieldErrorOf(new Error("pipeline parameter 'f'"), names)).toBeNull();
  });

  it("types an endpoint's parameters from the canvas and shows its dataset nodes as data assets", () => {
    const published = endpointParameterRows({ hr: "hr:1", f: 0.6 }, rows);
    expect(published.map((r) => [r.name, r.type, r.default])).toEqual([["hr", "data asset", "hr:1"], ["f", "number", 0.6]]);
  });
});
