import { describe, expect, it } from "vitest";
import type { DataProfile } from "../../api/data";
import { categoriesFromProfile, formValues, recordOf, scoringSchema, withCategories } from "./scoringForm";

// The shape modelyard.serving's /swagger.json has (serving/_openapi.py).
const swagger = {
  openapi: "3.0.3",
  paths: {
    "/score": {
      post: {
        requestBody: {
          content: {
            "application/json": {
              example: { data: [{ Age: 41, DailyRate: 1102.5, OverTime: "Yes", Remote: false, Extra: [1, 2] }, { Age: 49 }] },
            },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Record: {
        type: "object",
        properties: {
          Age: { type: "integer", format: "int64" },
          DailyRate: { type: "number", format: "double" },
          OverTime: { type: "string" },
          Remote: { type: "boolean", nullable: true },
          Level: { type: "string", enum: ["junior", "senior"] },
          Extra: {},
        },
        required: ["Age", "DailyRate", "OverTime", "Level", "Extra"],
      },
    },
  },
};

describe("scoringSchema", () => {
  it("maps each column to an input of its kind, in the model's order", () => {
    const { fields, example } = scoringSchema(swagger);
    expect(fields).toEqual([
      { name: "Age", kind: "integer", required: true },
      { name: "DailyRate", kind: "number", required: true },
      { name: "OverTime", kind: "text", required: true },
      { name: "Remote", kind: "boolean", required: false },
      { name: "Level", kind: "select", options: ["junior", "senior"], required: true },
      { name: "Extra", kind: "any", required: true },
    ]);
    expect(example).toEqual({ Age: 41, DailyRate: 1102.5, OverTime: "Yes", Remote: false, Extra: [1, 2] });
  });

  it("has no fields for a model without a column schema, and no example without one", () => {
    expect(scoringSchema({ components: { schemas: { Record: { type: "object", additionalProperties: true } } } })).toEqual({ fields: [], example: null });
    expect(scoringSchema("not a document")).toEqual({ fields: [], example: null });
  });
});

describe("categories", () => {
  const profile = {
    rows: 3,
    seconds: 0,
    columns: [
      { name: "OverTime", type: "string", distinct: 2, value_counts: [{ value: "Yes", count: 2 }, { value: "No", count: 1 }] },
      { name: "JobRole", type: "string", distinct: 40, value_counts: [{ value: "Sales", count: 2 }] },
      { name: "Age", type: "integer", distinct: 2, value_counts: [{ value: 41, count: 2 }] },
    ],
  } as unknown as DataProfile;

  it("knows a text column's values only when the profile saw them all", () => {
    expect(categoriesFromProfile(profile)).toEqual({ OverTime: ["No", "Yes"] });
    expect(categoriesFromProfile(undefined)).toEqual({});
  });

  it("turns text columns with known values into selects", () => {
    const fields = withCategories(scoringSchema(swagger).fields, categoriesFromProfile(profile));
    expect(fields.find((f) => f.name === "OverTime")).toEqual({ name: "OverTime", kind: "select", options: ["No", "Yes"], required: true });
    expect(fields.find((f) => f.name === "Age")?.kind).toBe("integer");
  });
});

describe("values and records", () => {
  const { fields, example } = scoringSchema(swagger);

  it("prefills the inputs from the example and reads them back as the same record", () => {
    const values = formValues(fields, example);
    expect(values).toEqual({ Age: "41", DailyRate: "1102.5", OverTime: "Yes", Remote: "false", Level: "", Extra: "[1,2]" });
    expect(recordOf(fields, values)).toEqual({ Age: 41, DailyRate: 1102.5, OverTime: "Yes", Remote: false, Extra: [1, 2] });
  });

  it("leaves empty inputs out and sends unreadable values as typed, for the server to name", () => {
    const record = recordOf(fields, { Age: "forty", DailyRate: "", OverTime: "", Remote: "", Level: "senior", Extra: "x" });
    expect(record).toEqual({ Age: "forty", OverTime: "", Level: "senior", Extra: "x" });
  });
});
