// What a trial's Explanations tab shows: the explanation, the job making it, or why there is none yet.
import type { TrialExplanation } from "../../api/automl";
import { isTerminal, type JobStatus } from "../../api/jobs";
import type { ProgressStep } from "../../components/ProgressSteps";

export type TrialFacts = { completed: boolean; runEnded: boolean; hasModel: boolean };

export type ExplanationState =
  | { kind: "shown"; job: string }
  | { kind: "running"; job: string }
  | { kind: "askable"; refits: boolean; failed?: { job: string; error: string } }
  | { kind: "unavailable"; reason: string };

export function explanationState(current: TrialExplanation | null, trial: TrialFacts): ExplanationState {
  if (current?.status === "Completed") return { kind: "shown", job: current.job };
  if (current && !isTerminal(current.status)) return { kind: "running", job: current.job };
  if (!trial.completed) return { kind: "unavailable", reason: "Only a completed trial has a model to explain." };
  if (!trial.runEnded) return { kind: "unavailable", reason: "The best model is explained when the AutoML run ends; any other trial's model can be explained after that." };
  const failed = current ? { job: current.job, error: current.error ?? `the explanation job ended ${current.status}` } : undefined;
  return { kind: "askable", refits: !trial.hasModel, failed };
}

/** The explaining job's steps: refitting the trial's model first when it kept none (done once the job logged one). */
export function explainingSteps(status: JobStatus | undefined, trialHadModel: boolean, jobLoggedModel: boolean): ProgressStep[] {
  const started = status === "Running";
  const explain: ProgressStep = { key: "explain", label: "Explain the model on the training rows", state: "todo" };
  if (trialHadModel) return [{ ...explain, state: started ? "active" : "todo", detail: started ? undefined : status }];
  const refit: ProgressStep = { key: "refit", label: "Refit the trial's model on all training rows", state: "todo" };
  if (jobLoggedModel) return [{ ...refit, state: "done" }, { ...explain, state: "active" }];
  return [{ ...refit, state: started ? "active" : "todo", detail: started ? undefined : status }, explain];
}
