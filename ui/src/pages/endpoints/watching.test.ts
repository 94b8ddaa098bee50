import { describe, expect, it } from "vitest";
import type { CollectedData } from "../../api/data";
import type { Monitor } from "../../api/monitors";
import { collectedOf, monitorsWatching } from "./watching";

const collected = (endpoint: string, deployment: string, collection: "model_inputs" | "model_outputs"): CollectedData => ({
  name: `${endpoint}-${deployment}-${collection}`,
  endpoint_name: endpoint,
  deployment_name: deployment,
  collection,
  files: 1,
  rows: 10,
  path: "x",
});
const monitor = (name: string, definition: Record<string, unknown>): Monitor => ({ name, definition, created_at: "2026-01-01T00:00:00Z" });

const ours = [collected("attrition", "green", "model_outputs"), collected("attrition", "blue", "model_inputs")];
const theirs = [collected("attrition-v2", "blue", "model_inputs")];

describe("collectedOf", () => {
  it("keeps the endpoint's own collections, by deployment then collection", () => {
    expect(collectedOf("attrition", [...theirs, ...ours]).map((c) => c.name)).toEqual([
      "attrition-blue-model_inputs",
      "attrition-green-model_outputs",
    ]);
  });
});

describe("monitorsWatching", () => {
  const reading = monitor("reads-inputs", {
    monitoring_signals: { drift: { production_data: { input_data: { path: "azureml:attrition-blue-model_inputs@latest" } } } },
  });
  const targeting = monitor("targets", { monitoring_target: { endpoint_deployment_id: "azureml:attrition:green" } });
  const versioned = monitor("versioned", { production_data: [{ path: "azureml:attrition-green-model_outputs:3" }] });
  const other = monitor("other", { monitoring_target: { production_data: { input_data: { path: "azureml:attrition-v2-blue-model_inputs@latest" } } } });
  const asset = monitor("asset", { production_data: { input_data: { path: "azureml:employeeattrition@latest" } } });

  it("finds monitors that read the endpoint's collected data or target one of its deployments", () => {
    const found = monitorsWatching("attrition", ours, [other, versioned, targeting, reading, asset]);
    expect(found.map((m) => m.name)).toEqual(["reads-inputs", "targets", "versioned"]);
  });

  it("does not take another endpoint whose name starts with this one's", () => {
    expect(monitorsWatching("attrition", ours, [other])).toEqual([]);
    expect(monitorsWatching("attrition-v2", theirs, [other]).map((m) => m.name)).toEqual(["other"]);
  });
});
