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
  timeoutMinutes: number;
  maxConcurrentTrials: number;
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
  timeoutMinutes: 15,
  maxConcurrentTrials: 1,
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

/** What still keeps the job from being submitted, one message per problem (empty when it is ready). */
export function problems(state: AutoMLWizardState): string[] {
  const out: string[] = [];
  if (!state.dataset) out.push("choose a dataset");
  if (!state.experimentName.trim()) out.push("enter an experiment name");
  if (!state.targetColumn) out.push("choose the target column");
  if (!state.compute) out.push("choose a compute target");
  if (!(state.timeoutMinutes > 0)) out.push("the training time must be more than 0 minutes");
  if (!Number.isInteger(state.maxConcurrentTrials) || state.maxConcurrentTrials < 1 || state.maxConcurrentTrials > 64)
    out.push("max concurrent iterations must be a whole number from 1 to 64");
  if (state.validation === "cv" && (!Number.isInteger(state.folds) || state.folds < 2 || state.folds > 20))
    out.push("cross-validation needs a whole number of folds from 2 to 20");
  if (state.validation === "split" && !(state.validationSize > 0 && state.validationSize < 1))
    out.push("the validation size must be a share between 0 and 1, such as 0.2");
  if (state.dropColumns.includes(state.targetColumn)) out.push("the target column cannot be dropped");
  return out;
}

/** The job document POST /api/jobs takes; null while the state has problems. */
export function buildJobDocument(state: AutoMLWizardState): Record<string, unknown> | null {
  if (problems(state).length > 0 || !state.dataset) return null;
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
    limits: { timeout_minutes: state.timeoutMinutes, max_concurrent_trials: state.maxConcurrentTrials },
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
