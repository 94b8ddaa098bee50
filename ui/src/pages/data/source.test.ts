import { describe, expect, it } from "vitest";
import { describeSource } from "./source";

describe("describeSource", () => {
  it("names an upload by its file, not the workspace's internal folder", () => {
    expect(describeSource("/home/me/ws/.modelyard/uploads/3f2a9c0d1e/HR-Employee-Attrition.csv")).toBe("uploaded file HR-Employee-Attrition.csv");
  });

  it("keeps any other source as it is", () => {
    expect(describeSource("/data/hr.csv")).toBe("/data/hr.csv");
    expect(describeSource("https://example.com/hr.csv")).toBe("https://example.com/hr.csv");
    expect(describeSource(null)).toBe("—");
  });
});
