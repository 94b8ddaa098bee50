// The wizard's state as plain data, and the AutoML job document built from it (the CLI's automl.yml shape).
import type { Task } from "../../../api/automl";

export type ValidationKind = "auto" | "cv" | "split";

export interface AutoMLWizardState {
  dataset: { name: string; version: number } | null;
  experimentName: string;
  targetColumn: string;
  compute: string;
  task: Task;
  primaryMetric: string;
  /** The budget in hours, as Azure's "Training job time (hours)" (0.25 = 15 minutes). */
  trainingHours: number;
  maxConcurrentTrials: number;
  /** Azure's "Max trials": the run ends after this many trials; NaN (the field left empty) sets no limit. */
  maxTrials: number;
  blockedAlgorithms: string[];
  validation: ValidationKind;
  folds: number;
  validationSize: number;
  featurization: "auto" | "off";
  dropColumns: string[];
  /** Column -> purpose (Numeric, Categorical, ...); columns left out keep the detected one. */
  columnPurposes: Record<string, string>;
}

export const initialState: AutoMLWizardState = {
  dataset: null,
  experimentName: "",
  targetColumn: "",
  compute: "local",
  task: "classification",
  primaryMetric: "",
  trainingHours: 0.25,
  maxConcurrentTrials: 1,
  maxTrials: NaN,
  blockedAlgorithms: [],
  validation: "auto",
  folds: 5,
  validationSize: 0.2,
  featurization: "auto",
  dropColumns: [],
  columnPurposes: {},
};

export const AUTOML_SCHEMA = {
  classification: "https://azuremlschemas.azureedge.net/latest/autoMLClassificationJob.schema.json",
  regression: "https://azuremlschemas.azureedge.net/latest/autoMLRegressionJob.schema.json",
} as const;

/** The server's floor (GET /api/automl/options `min_timeout_minutes`) until the options have loaded. */
export const MIN_TIMEOUT_MINUTES = 0.25;

/** The budget in minutes, as the job document has it (to the millisecond, so 0.5 / 60 hours is 0.5 minutes). */
export const timeoutMinutes = (hours: number) => Math.round(hours * 60 * 60_000) / 60_000;

/** "15 minutes", "1 minute 30 s", "2 hours": the helper text under the hours field. */
export function describeHours(hours: number): string {
  if (!(hours > 0)) return "";
  const seconds = Math.round(hours * 3600);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [h && `${h} hour${h === 1 ? "" : "s"}`, m && `${m} minute${m === 1 ? "" : "s"}`, s && `${s} s`].filter(Boolean);
  return parts.length ? parts.join(" ") : "under 1 s";
}

/** What still keeps the job from being submitted, one message per problem (empty when it is ready). */
export function problems(state: AutoMLWizardState, minMinutes = MIN_TIMEOUT_MINUTES): string[] {
  const out: string[] = [];
  if (!state.dataset) out.push("choose a dataset");
  if (!state.experimentName.trim()) out.push("enter an experiment name");
  if (!state.targetColumn) out.push("choose the target column");
  if (!state.compute) out.push("choose a compute target");
  if (!(state.trainingHours > 0)) out.push("enter the training job time in hours, such as 0.25 for 15 minutes");
  else if (timeoutMinutes(state.trainingHours) < minMinutes)
    out.push(
      `${describeHours(state.trainingHours)} cannot train any model: starting the run and preparing the data need at least ${describeHours(minMinutes / 60)} (${Number((minMinutes / 60).toFixed(4))} hours)`,
    );
  if (!Number.isInteger(state.maxConcurrentTrials) || state.maxConcurrentTrials < 1 || state.maxConcurrentTrials > 64)
    out.push("max concurrent iterations must be a whole number from 1 to 64");
  if (!Number.isNaN(state.maxTrials) && !(Number.isInteger(state.maxTrials) && state.maxTrials >= 1))
    out.push("max trials must be a whole number of at least 1, or left empty for no limit");
  if (state.validation === "cv" && (!Number.isInteger(state.folds) || state.folds < 2 || state.folds > 20))
    out.push("cross-validation needs a whole number of folds from 2 to 20");
  if (state.validation === "split" && !(state.validationSize > 0 && state.validationSize < 1))
    out.push("the validation size must be a share between 0 and 1, such as 0.2");
  if (state.dropColumns.includes(state.targetColumn)) out.push("the target column cannot be dropped");
  return out;
}

/** The job document POST /api/jobs takes; null while the state has problems. */
export function buildJobDocument(state: AutoMLWizardState, minMinutes = MIN_TIMEOUT_MINUTES): Record<string, unknown> | null {
  if (problems(state, minMinutes).length > 0 || !state.dataset) return null;
  const purposes = Object.fromEntries(
    Object.entries(state.columnPurposes).filter(([column, purpose]) => purpose && column !== state.targetColumn && !state.dropColumns.includes(column)),
  );
  return {
    $schema: AUTOML_SCHEMA[state.task],
    type: "automl",
    experiment_name: state.experimentName.trim(),
    compute: state.compute,
    task: state.task,
    training_data: `azureml:${state.dataset.name}:${state.dataset.version}`,
    target_column_name: state.targetColumn,
    ...(state.primaryMetric ? { primary_metric: state.primaryMetric } : {}),
    ...(state.validation === "cv" ? { n_cross_validations: state.folds } : {}),
    ...(state.validation === "split" ? { validation_data_size: state.validationSize } : {}),
    limits: {
      timeout_minutes: timeoutMinutes(state.trainingHours),
      max_concurrent_trials: state.maxConcurrentTrials,
      ...(Number.isNaN(state.maxTrials) ? {} : { max_trials: state.maxTrials }),
    },
    training: { blocked_training_algorithms: state.blockedAlgorithms },
    featurization: {
      mode: state.featurization,
      drop_columns: state.dropColumns.filter((c) => c !== state.targetColumn),
      ...(state.featurization === "auto" ? { column_name_and_types: purposes } : {}),
    },
  };
}

/** Changing the task resets what belongs to the old one: its metric and its blocked algorithms. */
export function withTask(state: AutoMLWizardState, task: Task, defaultMetric: string): AutoMLWizardState {
  return task === state.task && state.primaryMetric ? state : { ...state, task, primaryMetric: defaultMetric, blockedAlgorithms: [] };
}
