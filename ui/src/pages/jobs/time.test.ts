import { describe, expect, it } from "vitest";
import { formatDuration } from "./time";

describe("formatDuration", () => {
  it("keeps a tenth of a second below ten seconds", () => {
    expect(formatDuration(0.04)).toBe("0.0 s");
    expect(formatDuration(0.42)).toBe("0.4 s");
    expect(formatDuration(7.46)).toBe("7.5 s");
  });
  it("rounds to whole seconds, minutes and hours above", () => {
    expect(formatDuration(9.96)).toBe("10 s");
    expect(formatDuration(42.4)).toBe("42 s");
    expect(formatDuration(185)).toBe("3 min 5 s");
    expect(formatDuration(7440)).toBe("2 h 4 min");
  });
  it("shows a dash when there is no duration", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(undefined)).toBe("—");
    expect(formatDuration(Number.NaN)).toBe("—");
  });
});
