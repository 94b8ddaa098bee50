import { describe, expect, it } from "vitest";
import { record, redo, startHistory, undo, UNDO_LIMIT } from "./history";

describe("undo/redo", () => {
  it("steps back and forth through the edits", () => {
    let h = record(record(startHistory("a"), "b"), "c");
    h = undo(h);
    expect(h.present).toBe("b");
    h = undo(h);
    expect(h.present).toBe("a");
    expect(undo(h)).toBe(h); // nothing older
    h = redo(h);
    expect(h.present).toBe("b");
    expect(redo(redo(h)).present).toBe("c");
  });
  it("a new edit after an undo drops what was undone", () => {
    const h = record(undo(record(startHistory("a"), "b")), "x");
    expect(h).toEqual({ past: ["a"], present: "x", future: [] });
  });
  it("restoring a state records nothing", () => {
    const h = undo(record(startHistory("a"), "b"));
    expect(record(h, "a")).toBe(h);
  });
  it("keeps at most the last steps", () => {
    let h = startHistory("0");
    for (let i = 1; i <= UNDO_LIMIT + 10; i++) h = record(h, String(i));
    expect(h.past).toHaveLength(UNDO_LIMIT);
  });
});
