// What the AutoML run and trial pages say about a run's state: why it failed, why a trial stopped, time left, phases.
import { isTerminal, type Job } from "../../api/jobs";

// "error: ..." is how modelyard's runners report a refusal; "SomeError: ..." is a Python exception's last line
const EXCEPTION_LINE = /^(?:error|(?:[\w.]+\.)?\w*(?:Error|Exception|Input|NotFound|Conflict|Unauthorized|Forbidden|Interrupt)): (.+)$/;

/**
 * A failed job's error as one line a user reads first, and the raw log (if any) to show collapsed below it.
 * A job that exited with an error records "exit code N; last log lines:" and the log tail: the reason is the
 * error's message (the last "error: ..." or exception line), not the first line of the tail.
 */
export function failureReason(error: string): { reason: string; log: string | null } {
  const [head, ...rest] = error.split("\n");
  if (rest.length === 0) return { reason: head.trim(), log: null };
  const lines = rest.map((line) => line.trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const match = EXCEPTION_LINE.exec(lines[i]);
    if (match) return { reason: match[1], log: error };
  }
  return { reason: head.trim() || lines[lines.length - 1] || error, log: error };
}

/** Why a trial was stopped, as a sentence: "This trial was stopped at the time budget and has no charts." */
export function stoppedSentence(reason: string | null | undefined): string {
  const why = (reason ?? "").trim();
  if (why.startsWith("stopped at")) return `This trial was ${why} and has no charts.`;
  return why ? `This trial was stopped early (${why.replace(/^stopped early:\s*/, "")}) and has no charts.` : "This trial was stopped early and has no charts.";
}

/** Trials that have ended (scored, stopped or failed): the leaderboard's rows less the ones still running. */
export const trialsDone = (trials: Job[]) => trials.filter((t) => isTerminal(t.status)).length;

/** An AutoML run's time budget in seconds. */
export const budgetSeconds = (run: Job): number => (run.spec.type === "automl" ? (run.spec.limits?.timeout_minutes ?? 0) * 60 : 0);

/** Seconds of the budget left: it counts from submission, so queueing, start-up and preparing the data use it too. */
export function secondsLeft(run: Job, now = Date.now()): number {
  const budget = budgetSeconds(run);
  if (isTerminal(run.status)) return 0;
  const submitted = run.created_at ? new Date(run.created_at).getTime() : now;
  return Math.max(0, budget - (now - submitted) / 1000);
}

const PHASES: [string, string][] = [
  ["queued_seconds", "queued"],
  ["startup_seconds", "starting"],
  ["loading_seconds", "loading data"],
  ["preparation_seconds", "preparing data"],
  ["search_seconds", "trials"],
  ["ensemble_seconds", "ensembles"],
  ["refit_seconds", "refit"],
  ["model_logging_seconds", "logging the model"],
];

/** Why a finished run's search ended ("time budget", "max_trials reached", "early termination: ..."), if it says. */
export function searchEnd(run: Job): string | null {
  const reason = timings(run).stop_reason;
  return typeof reason === "string" && reason ? reason : null;
}

function timings(run: Job): Record<string, unknown> {
  return (run.properties?.timings ?? {}) as Record<string, unknown>;
}

/** Where a finished run's time went, phase by phase (from its `timings` property); empty before it ends. */
export function phases(run: Job): { label: string; seconds: number }[] {
  const recorded = timings(run);
  return PHASES.flatMap(([key, label]) => {
    const seconds = recorded[key];
    return typeof seconds === "number" && seconds > 0 ? [{ label, seconds }] : [];
  });
}
