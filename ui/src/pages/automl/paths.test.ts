import { describe, expect, it } from "vitest";
import { automlSpec, commandSpec, job } from "../../test/jobs";
import { datasetOf, targetOf } from "./paths";

describe("an AutoML job's data and target", () => {
  it("reads the pinned data asset and the target column from the spec", () => {
    const run = job(automlSpec());
    expect(datasetOf(run)).toBe("employeeattrition:1");
    expect(targetOf(run)).toBe("Attrition");
  });

  it("shows a path that is not a data asset as it is", () => {
    expect(datasetOf(job(automlSpec({ training_data: { path: "/data/hr.csv", type: "uri_file", mode: "download" } })))).toBe("/data/hr.csv");
  });

  it("is empty for a job that is not an AutoML job", () => {
    expect(datasetOf(job(commandSpec()))).toBe("");
    expect(targetOf(job(commandSpec()))).toBe("");
  });
});
