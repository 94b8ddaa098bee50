import { describe, expect, it } from "vitest";
import { compareRows, overlay } from "./compare";

describe("compareRows", () => {
  it("lines values up by key and marks the rows that differ", () => {
    const rows = compareRows([
      { lr: "0.1", solver: "lbfgs" },
      { lr: "0.5", solver: "lbfgs" },
    ]);
    expect(rows).toEqual([
      { key: "lr", values: ["0.1", "0.5"], differs: true },
      { key: "solver", values: ["lbfgs", "lbfgs"], differs: false },
    ]);
  });
  it("counts a value one run lacks as a difference", () => {
    expect(compareRows([{ auc: 0.8 }, {}])).toEqual([{ key: "auc", values: ["0.8", undefined], differs: true }]);
  });
  it("rounds long decimals so equal metrics read equal", () => {
    const [row] = compareRows([{ auc: 0.81234567891 }, { auc: 0.8123456789 }]);
    expect(row.values).toEqual(["0.812346", "0.812346"]);
    expect(row.differs).toBe(false);
  });
});

describe("overlay", () => {
  it("merges each metric's points of every run by step", () => {
    const charts = overlay([
      { run: "a", history: { loss: [{ step: 0, value: 1, timestamp: 0 }, { step: 1, value: 0.5, timestamp: 1 }] } },
      { run: "b", history: { loss: [{ step: 1, value: 0.7, timestamp: 0 }, { step: 2, value: 0.4, timestamp: 1 }], auc: [{ step: 0, value: 0.8, timestamp: 0 }] } },
    ]);
    expect(Object.keys(charts)).toEqual(["auc", "loss"]);
    expect(charts.loss).toEqual([
      { step: 0, a: 1 },
      { step: 1, a: 0.5, b: 0.7 },
      { step: 2, b: 0.4 },
    ]);
    expect(charts.auc).toEqual([{ step: 0, b: 0.8 }]);
  });
});
