import { describe, expect, it } from "vitest";
import { readSelection, writeSelection } from "./columnSelection";

describe("column selection", () => {
  it("writes 'all columns except' as the workshop's Select Columns saves it, and reads it back", () => {
    const selection = writeSelection({ mode: "exclude", columns: ["EmployeeCount", "Over18"] });
    expect(selection).toEqual({
      isFilter: true,
      rules: [{ ruleType: "AllColumns", exclude: false }, { ruleType: "ColumnNames", exclude: true, columns: ["EmployeeCount", "Over18"] }],
    });
    expect(readSelection(selection)).toEqual({ mode: "exclude", columns: ["EmployeeCount", "Over18"] });
  });
  it("reads names, a plain list and nothing as columns kept", () => {
    expect(readSelection(writeSelection({ mode: "include", columns: ["Age"] }))).toEqual({ mode: "include", columns: ["Age"] });
    expect(readSelection(["Age", "Attrition"])).toEqual({ mode: "include", columns: ["Age", "Attrition"] });
    expect(readSelection(undefined)).toEqual({ mode: "include", columns: [] });
  });
  it("leaves a rule by type to be replaced rather than misread", () => {
    expect(readSelection({ isFilter: true, rules: [{ ruleType: "ColumnTypes", columnTypes: ["Numeric"] }] })).toBeNull();
  });
});
