import { describe, expect, it } from "vitest";
import { ranDraft } from "./designer";
import type { Job } from "./jobs";

const job = (tags: Record<string, string>) => ({ name: "run", tags }) as unknown as Job;

describe("ranDraft", () => {
  it("reads the draft and version a Designer run ran from its tag, names with colons included", () => {
    expect(ranDraft(job({ designer_draft: "attrition:3" }))).toEqual({ name: "attrition", version: 3 });
    expect(ranDraft(job({ designer_draft: "a:b:12" }))).toEqual({ name: "a:b", version: 12 });
  });
  it("answers null for a job that ran no draft", () => {
    expect(ranDraft(job({}))).toBeNull();
  });
});
