// The leaderboard: trials ranked by the primary metric (running and unscored ones last), the best marked.
import type { AutoMLOptions } from "../../api/automl";
import type { Job } from "../../api/jobs";

export type LeaderboardRow = { trial: Job; rank: number; score: number | null; best: boolean };

export const trialScore = (trial: Job): number | null => {
  const score = trial.properties?.score;
  return typeof score === "number" && Number.isFinite(score) ? score : null;
};

export const lowerIsBetter = (options: AutoMLOptions | undefined, metric: string) => options?.lower_is_better.includes(metric) ?? false;

export function rankTrials(trials: Job[], lowerBetter: boolean): LeaderboardRow[] {
  const scored = trials.filter((t) => trialScore(t) !== null);
  const sign = lowerBetter ? 1 : -1;
  scored.sort((a, b) => sign * ((trialScore(a) as number) - (trialScore(b) as number)));
  const unscored = trials.filter((t) => trialScore(t) === null);
  return [...scored, ...unscored].map((trial, i) => ({ trial, rank: i + 1, score: trialScore(trial), best: i === 0 && trialScore(trial) !== null }));
}

/** The other metrics the leaderboard shows: the task's other primary-metric choices (at most three). */
export function keyMetrics(options: AutoMLOptions | undefined, task: string, primary: string): string[] {
  const choices = options?.tasks[task as keyof AutoMLOptions["tasks"]]?.primary_metrics ?? [];
  return choices.filter((m) => m !== primary).slice(0, 3);
}
