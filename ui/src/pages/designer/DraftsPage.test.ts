import { describe, expect, it } from "vitest";
import { importedName } from "./DraftsPage";

describe("the name of an imported pipeline YAML", () => {
  it("is the file's name without .yml/.yaml, made a draft name that no draft has", () => {
    expect(importedName("attrition.yml", [])).toBe("attrition");
    expect(importedName("attrition.YAML", ["attrition"])).toBe("attrition_2");
    expect(importedName("my pipeline (2).yml", [])).toBe("my-pipeline-2-");
    expect(importedName(".yml", [])).toBe("pipeline");
  });
});
