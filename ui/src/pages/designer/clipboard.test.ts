import type { Edge } from "@xyflow/react";
import { describe, expect, it } from "vitest";
import { copySelection, paste, PASTE_OFFSET } from "./clipboard";
import { edgeId, type ModuleNode } from "./graph";

const node = (id: string, module: string, selected: boolean, x = 0): ModuleNode => ({
  id,
  type: "module",
  position: { x, y: 10 },
  data: { module, parameters: { seed: 1 } },
  selected,
});
const edge = (source: string, sourceHandle: string, target: string, targetHandle: string): Edge => {
  const c = { source, sourceHandle, target, targetHandle };
  return { ...c, id: edgeId(c) };
};

const nodes = [node("split_data", "split_data", true, 0), node("train_model", "train_model", true, 100), node("score_model", "score_model", false, 200)];
const edges = [edge("split_data", "results_dataset1", "train_model", "dataset"), edge("train_model", "trained_model", "score_model", "trained_model")];

describe("copy and paste", () => {
  it("copies the selected nodes with only the edges between them", () => {
    const copied = copySelection(nodes, edges)!;
    expect(copied.nodes.map((n) => n.id)).toEqual(["split_data", "train_model"]);
    expect(copied.edges.map((e) => e.id)).toEqual([edges[0].id]);
    expect(copySelection(nodes.map((n) => ({ ...n, selected: false })), edges)).toBeNull();
  });

  it("pastes under fresh ids, offset, re-linked, and selects only the pasted nodes", () => {
    const result = paste(nodes, edges, copySelection(nodes, edges)!);
    const added = result.nodes.slice(nodes.length);
    expect(added.map((n) => n.id)).toEqual(["split_data_2", "train_model_2"]);
    expect(added.map((n) => n.position)).toEqual([
      { x: PASTE_OFFSET, y: 10 + PASTE_OFFSET },
      { x: 100 + PASTE_OFFSET, y: 10 + PASTE_OFFSET },
    ]);
    expect(result.nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(["split_data_2", "train_model_2"]);
    expect(result.edges.slice(edges.length)).toEqual([edge("split_data_2", "results_dataset1", "train_model_2", "dataset")]);
  });

  it("pastes twice without reusing an id, and the copy's parameters are its own", () => {
    const copied = copySelection(nodes, edges)!;
    const once = paste(nodes, edges, copied);
    const twice = paste(once.nodes, once.edges, copied, 2);
    expect(twice.nodes.slice(-2).map((n) => n.id)).toEqual(["split_data_3", "train_model_3"]);
    twice.nodes.at(-1)!.data.parameters.seed = 7;
    expect(nodes[1].data.parameters.seed).toBe(1);
  });
});
