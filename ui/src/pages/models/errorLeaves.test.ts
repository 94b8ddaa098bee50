import { describe, expect, it } from "vitest";
import type { ErrorNode } from "../../api/analyses";
import { leaves } from "./ErrorAnalysis";

const node = (id: number, parent: number | null, condition: string | null, rows: number, errors: number, children: number[]): ErrorNode => ({
  id,
  parent,
  depth: parent === null ? 0 : 1,
  condition,
  rows,
  errors,
  error_rate: errors / rows,
  error_coverage: errors / 30,
  children,
});

describe("leaves", () => {
  it("lists the leaves with their conditions from the root, worst error rate first", () => {
    const nodes = [
      node(0, null, null, 100, 30, [1, 2]),
      node(1, 0, "OverTime = 'Yes'", 30, 20, [3, 4]),
      node(2, 0, "OverTime = 'No'", 70, 10, []),
      node(3, 1, "Age <= 30", 10, 9, []),
      node(4, 1, "Age > 30", 20, 11, []),
    ];
    expect(leaves(nodes).map((c) => c.path.join(" and "))).toEqual([
      "OverTime = 'Yes' and Age <= 30",
      "OverTime = 'Yes' and Age > 30",
      "OverTime = 'No'",
    ]);
  });

  it("a tree that never split is one cohort of all rows", () => {
    expect(leaves([node(0, null, null, 10, 2, [])])).toEqual([{ path: [], node: node(0, null, null, 10, 2, []) }]);
  });
});
