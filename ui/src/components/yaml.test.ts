import { toYaml } from "./yaml";

describe("toYaml", () => {
  it("writes nested mappings as blocks, lists of scalars inline, and leaves nulls out", () => {
    const text = toYaml({ name: "nightly", trigger: { type: "cron", expression: "0 3 * * *", end_time: null, schedule: { hours: [3, 15] } }, tags: {} });
    expect(text).toBe(['name: nightly', "trigger:", "  type: cron", '  expression: "0 3 * * *"', "  schedule:", "    hours: [3, 15]", "tags: {}", ""].join("\n"));
  });

  it("quotes strings that YAML would read as another type or as syntax", () => {
    expect(toYaml({ a: "true", b: "42", c: "x: y", d: "azureml:train-1", e: "plain text" })).toBe(
      ['a: "true"', 'b: "42"', 'c: "x: y"', 'd: "azureml:train-1"', "e: plain text", ""].join("\n"),
    );
  });

  it("writes lists of mappings as dashes", () => {
    expect(toYaml({ jobs: [{ name: "a", inputs: { x: 1 } }, { name: "b" }] })).toBe(
      ["jobs:", "  - name: a", "    inputs:", "      x: 1", "  - name: b", ""].join("\n"),
    );
  });
});
