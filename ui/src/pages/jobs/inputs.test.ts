import { describe, expect, it } from "vitest";
import { describeInput, describeInputs } from "./inputs";

describe("describeInput", () => {
  it("reads a pinned data asset without the raw JSON", () => {
    expect(describeInput({ type: null, path: "data:employeeattrition:1", mode: "download" })).toBe("employeeattrition:1 (data asset)");
    expect(describeInput({ type: "uri_folder", path: "azureml:hr:2", mode: "ro_mount" })).toBe("hr:2 (data asset) · uri_folder, ro_mount");
  });

  it("keeps paths and literals as they are", () => {
    expect(describeInput({ path: "./data/train.csv", type: "uri_file" })).toBe("./data/train.csv · uri_file");
    expect(describeInput(0.25)).toBe("0.25");
    expect(describeInputs({ rate: "0.1", data: { path: "data:x:3" } })).toEqual({ rate: "0.1", data: "x:3 (data asset)" });
  });
});
