import { describe, expect, it } from "vitest";
import { parseTags, tagsText } from "./tags";

describe("tags as text", () => {
  it("round-trips key=value lines, blank lines ignored, values may hold '='", () => {
    expect(parseTags(tagsText({ team: "hr", query: "a=b" }))).toEqual({ tags: { team: "hr", query: "a=b" }, error: null });
    expect(parseTags("\n stage = prod \n\n")).toEqual({ tags: { stage: "prod" }, error: null });
  });

  it("names the line that is not key=value, or a key given twice", () => {
    expect(parseTags("team=hr\nprod").error).toBe('line 2: "prod" is not key=value');
    expect(parseTags("=x").error).toBe('line 1: "=x" is not key=value');
    expect(parseTags("a=1\na=2").error).toBe('line 2: tag "a" is given twice');
  });
});
