import { describe, expect, it } from "vitest";
import { checkWeights, describeTraffic, nonZero, weightInputs } from "./traffic";

describe("checkWeights", () => {
  it("accepts whole percentages adding up to 100", () => {
    expect(checkWeights({ blue: "90", green: " 10 " }, "traffic")).toEqual({ weights: { blue: 90, green: 10 }, error: null });
  });

  it("reads an empty input as 0 and accepts no traffic at all", () => {
    expect(checkWeights({ blue: "", green: "0" }, "traffic")).toEqual({ weights: { blue: 0, green: 0 }, error: null });
  });

  it("names the total when it is not 100", () => {
    expect(checkWeights({ blue: "80", green: "10" }, "traffic").error).toBe("the weights add up to 90%; they must add up to 100%");
    expect(checkWeights({ blue: "80", green: "30" }, "traffic").error).toMatch("add up to 110%");
  });

  it("names the deployment whose weight is not a whole percentage", () => {
    expect(checkWeights({ blue: "50.5", green: "49.5" }, "traffic").error).toBe('blue: "50.5" is not a whole percentage from 0 to 100');
    expect(checkWeights({ blue: "-10", green: "110" }, "traffic").error).toMatch(/^blue: "-10"/);
    expect(checkWeights({ blue: "ten" }, "traffic").error).toMatch(/^blue: "ten"/);
    expect(checkWeights({ blue: "101" }, "mirror").error).toMatch(/^blue: "101"/);
  });

  it("does not ask mirrored shares to add up to 100", () => {
    expect(checkWeights({ green: "20" }, "mirror")).toEqual({ weights: { green: 20 }, error: null });
  });
});

describe("helpers", () => {
  it("fills an input per deployment, 0 for those without a share", () => {
    expect(weightInputs(["blue", "green"], { blue: 100 })).toEqual({ blue: "100", green: "0" });
  });

  it("keeps only the deployments that take a share", () => {
    expect(nonZero({ blue: 100, green: 0 })).toEqual({ blue: 100 });
  });

  it("describes the split", () => {
    expect(describeTraffic({ blue: 90, green: 10, red: 0 })).toBe("blue 90%, green 10%");
    expect(describeTraffic({})).toBe("none");
  });
});
