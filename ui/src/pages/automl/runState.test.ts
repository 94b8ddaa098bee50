import { describe, expect, it } from "vitest";
import type { Job } from "../../api/jobs";
import { automlSpec, commandSpec, job as jobOf } from "../../test/jobs";
import { budgetSeconds, failureReason, phases, searchEnd, secondsLeft, stoppedSentence, trialsDone } from "./runState";

const job = (fields: Partial<Job>): Job => jobOf(automlSpec(), fields);

describe("failureReason", () => {
  it("takes the exception's message out of an exited job's log tail and keeps the log", () => {
    const error = [
      "exit code 1; last log lines:",
      "training data: 1470 rows x 34 columns; target 'Attrition'",
      "Traceback (most recent call last):",
      '  File "x.py", line 3, in <module>',
      "modelyard.errors.InvalidInput: the time budget of 0.5 minute(s) (7.5 s) is too small to train any model",
    ].join("\n");
    expect(failureReason(error)).toEqual({ reason: "the time budget of 0.5 minute(s) (7.5 s) is too small to train any model", log: error });
  });

  it("reads a runner's 'error:' line as the reason", () => {
    const error = "exit code 2; last log lines:\ntraining data: 1470 rows\nerror: the time budget of 0.3 minute(s) (18.0 s) is too small to train any model";
    expect(failureReason(error).reason).toBe("the time budget of 0.3 minute(s) (18.0 s) is too small to train any model");
  });

  it("keeps a one-line error as it is, without a log", () => {
    expect(failureReason("upstream step 'prep' did not complete")).toEqual({ reason: "upstream step 'prep' did not complete", log: null });
  });

  it("falls back to the first line when the tail has no exception", () => {
    expect(failureReason("exit code 2; last log lines:\nsome output").reason).toBe("exit code 2; last log lines:");
  });
});

describe("stoppedSentence", () => {
  it("reads as a sentence for each stop reason", () => {
    expect(stoppedSentence("stopped at the time budget")).toBe("This trial was stopped at the time budget and has no charts.");
    expect(stoppedSentence("exit_score reached")).toBe("This trial was stopped early (exit_score reached) and has no charts.");
    expect(stoppedSentence("stopped early: every fold so far lost to the best trial")).toBe(
      "This trial was stopped early (every fold so far lost to the best trial) and has no charts.",
    );
    expect(stoppedSentence(undefined)).toBe("This trial was stopped early and has no charts.");
  });
});

describe("run progress", () => {
  it("counts ended trials only", () => {
    expect(trialsDone([job({ status: "Completed" }), job({ status: "Failed" }), job({ status: "Running" })])).toBe(2);
  });

  it("counts the budget from submission, preparation included", () => {
    const submitted = Date.parse("2026-01-01T00:00:00Z");
    const run = job({ created_at: "2026-01-01T00:00:00Z", spec: automlSpec({ limits: { timeout_minutes: 1 } }) });
    expect(secondsLeft(run, submitted + 25_000)).toBe(35);
    expect(secondsLeft(run, submitted + 90_000)).toBe(0);
    expect(secondsLeft({ ...run, status: "Completed" }, submitted)).toBe(0);
  });

  it("reads the budget from an AutoML job's spec only", () => {
    expect(budgetSeconds(job({ spec: automlSpec({ limits: { timeout_minutes: 2.5 } }) }))).toBe(150);
    expect(budgetSeconds(jobOf(commandSpec()))).toBe(0);
  });

  it("lists the phases a finished run recorded, in order, leaving out empty ones", () => {
    const run = job({ properties: { timings: { queued_seconds: 0, startup_seconds: 22.5, preparation_seconds: 3, search_seconds: 40, total_seconds: 70 } } });
    expect(phases(run)).toEqual([
      { label: "starting", seconds: 22.5 },
      { label: "preparing data", seconds: 3 },
      { label: "trials", seconds: 40 },
    ]);
  });

  it("says why a finished run's search ended, and nothing before it says", () => {
    const reason = "early termination: no better score in the last 20 trials";
    expect(searchEnd(job({ properties: { timings: { stop_reason: reason, total_seconds: 9 } } }))).toBe(reason);
    expect(searchEnd(job({ properties: {} }))).toBeNull();
  });
});
