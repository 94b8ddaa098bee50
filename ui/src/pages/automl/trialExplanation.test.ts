import { describe, expect, it } from "vitest";
import type { TrialExplanation } from "../../api/automl";
import { explainingSteps, explanationState } from "./trialExplanation";

const ended = { completed: true, runEnded: true, hasModel: false };
const record = (status: TrialExplanation["status"], error: string | null = null): TrialExplanation => ({
  trial: "run_3",
  job: "explain_1",
  status,
  error,
  created_at: "2026-12-04T05:00:00Z",
  result_uri: null,
});

describe("explanationState", () => {
  it("shows a completed explanation and follows one in progress", () => {
    expect(explanationState(record("Completed"), ended)).toEqual({ kind: "shown", job: "explain_1" });
    expect(explanationState(record("Queued"), ended)).toEqual({ kind: "running", job: "explain_1" });
    expect(explanationState(record("Running"), { ...ended, runEnded: false })).toEqual({ kind: "running", job: "explain_1" });
  });

  it("offers to explain a completed trial of an ended run, saying whether it refits first", () => {
    expect(explanationState(null, ended)).toEqual({ kind: "askable", refits: true, failed: undefined });
    expect(explanationState(null, { ...ended, hasModel: true })).toEqual({ kind: "askable", refits: false, failed: undefined });
  });

  it("offers it again after a failed explanation, with its error", () => {
    expect(explanationState(record("Failed", "shap blew up"), ended)).toMatchObject({ kind: "askable", failed: { job: "explain_1", error: "shap blew up" } });
    expect(explanationState(record("Canceled"), ended)).toMatchObject({ failed: { error: "the explanation job ended Canceled" } });
  });

  it("says why a trial cannot be explained yet", () => {
    expect(explanationState(null, { ...ended, completed: false })).toMatchObject({ kind: "unavailable", reason: expect.stringContaining("completed trial") });
    expect(explanationState(null, { ...ended, runEnded: false })).toMatchObject({ kind: "unavailable", reason: expect.stringContaining("AutoML run ends") });
  });
});

describe("explainingSteps", () => {
  const states = (steps: ReturnType<typeof explainingSteps>) => steps.map((s) => [s.key, s.state]);

  it("refits first when the trial kept no model, then explains once the job logged one", () => {
    expect(states(explainingSteps("Queued", false, false))).toEqual([["refit", "todo"], ["explain", "todo"]]);
    expect(explainingSteps("Queued", false, false)[0].detail).toBe("Queued");
    expect(states(explainingSteps("Running", false, false))).toEqual([["refit", "active"], ["explain", "todo"]]);
    expect(states(explainingSteps("Running", false, true))).toEqual([["refit", "done"], ["explain", "active"]]);
  });

  it("only explains a model the trial has", () => {
    expect(states(explainingSteps("Running", true, true))).toEqual([["explain", "active"]]);
    expect(states(explainingSteps("Preparing", true, false))).toEqual([["explain", "todo"]]);
  });
});
