import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/client";
import { createAutosaver, type SaveState } from "./autosave";

describe("autosave", () => {
  let states: SaveState[];
  beforeEach(() => {
    vi.useFakeTimers();
    states = [];
  });
  afterEach(() => vi.useRealTimers());

  function saver(save: (snapshot: string, version: number) => Promise<unknown>) {
    return createAutosaver<string>({ version: 1, key: "v1", save, onState: (s) => states.push(s), delayMs: 500 });
  }

  it("saves the last of a burst of edits once, as the next version, and says saved", async () => {
    const saved: [string, number][] = [];
    const autosaver = saver(async (snapshot, version) => void saved.push([snapshot, version]));
    autosaver.change("a", "a");
    autosaver.change("ab", "ab");
    expect(states.at(-1)).toEqual({ kind: "unsaved" });
    await vi.advanceTimersByTimeAsync(600);
    expect(saved).toEqual([["ab", 2]]);
    expect(states.at(-1)).toEqual({ kind: "saved", version: 2 });
    autosaver.change("ab", "ab"); // nothing new: no save
    await vi.advanceTimersByTimeAsync(600);
    expect(saved).toHaveLength(1);
  });

  it("an edit back to what is saved is saved already", async () => {
    const autosaver = saver(async () => undefined);
    autosaver.change("x", "x");
    autosaver.change("v1", "v1");
    expect(states.at(-1)).toEqual({ kind: "saved", version: 1 });
  });

  it("flush saves at once and answers the saved version", async () => {
    const saved: number[] = [];
    const autosaver = saver(async (_, version) => void saved.push(version));
    autosaver.change("z", "z");
    await expect(autosaver.flush()).resolves.toBe(2);
    expect(saved).toEqual([2]);
  });

  it("a version saved elsewhere stops autosaving with a message instead of overwriting", async () => {
    const autosaver = saver(async () => {
      throw new ApiError(409, "Conflict", "designer draft d version 2 exists");
    });
    autosaver.change("mine", "mine");
    await vi.advanceTimersByTimeAsync(600);
    const last = states.at(-1)!;
    expect(last.kind).toBe("conflict");
    expect(last.kind === "conflict" && last.message).toContain("saved elsewhere");
    await expect(autosaver.flush()).rejects.toThrow("saved elsewhere");
  });

  it("a failed save stays unsaved and the next edit tries again", async () => {
    let fail = true;
    const autosaver = saver(async () => {
      if (fail) throw new ApiError(0, "NetworkError", "the server did not answer");
    });
    autosaver.change("p", "p");
    await vi.advanceTimersByTimeAsync(600);
    expect(states.at(-1)).toEqual({ kind: "failed", message: "the server did not answer" });
    fail = false;
    autosaver.change("pq", "pq");
    await vi.advanceTimersByTimeAsync(600);
    expect(states.at(-1)).toEqual({ kind: "saved", version: 2 });
  });
});
