import { describe, expect, it } from "vitest";
import { buildJobDocument, initialState, problems, withTask, type AutoMLWizardState } from "./jobDocument";

const ready: AutoMLWizardState = {
  ...initialState,
  dataset: { name: "employeeattrition", version: 2 },
  experimentName: " automl-attrition ",
  targetColumn: "Attrition",
  compute: "cpucluster",
  primaryMetric: "AUC_weighted",
  timeoutMinutes: 1,
  maxConcurrentTrials: 2,
};

describe("buildJobDocument", () => {
  it("builds the CLI's automl.yml document from the wizard", () => {
    expect(buildJobDocument({ ...ready, validation: "split", validationSize: 0.25 })).toEqual({
      $schema: "https://azuremlschemas.azureedge.net/latest/autoMLClassificationJob.schema.json",
      type: "automl",
      experiment_name: "automl-attrition",
      compute: "cpucluster",
      task: "classification",
      training_data: "azureml:employeeattrition:2",
      target_column_name: "Attrition",
      primary_metric: "AUC_weighted",
      validation_data_size: 0.25,
      limits: { timeout_minutes: 1, max_concurrent_trials: 2 },
      training: { blocked_training_algorithms: [] },
      featurization: { mode: "auto", drop_columns: [], column_name_and_types: {} },
    });
  });

  it("sends cross-validation folds, blocked algorithms, drops and purposes; never for the target or a dropped column", () => {
    const document = buildJobDocument({
      ...ready,
      validation: "cv",
      folds: 3,
      blockedAlgorithms: ["ExtraTrees"],
      dropColumns: ["EmployeeNumber"],
      columnPurposes: { JobLevel: "Categorical", EmployeeNumber: "Numeric", Attrition: "Numeric", Age: "" },
    });
    expect(document).toMatchObject({
      n_cross_validations: 3,
      training: { blocked_training_algorithms: ["ExtraTrees"] },
      featurization: { mode: "auto", drop_columns: ["EmployeeNumber"], column_name_and_types: { JobLevel: "Categorical" } },
    });
    expect(document).not.toHaveProperty("validation_data_size");
  });

  it("auto validation leaves both fields out; featurization off sends no purposes", () => {
    const document = buildJobDocument({ ...ready, featurization: "off", columnPurposes: { JobLevel: "Categorical" } });
    expect(document).not.toHaveProperty("n_cross_validations");
    expect(document).not.toHaveProperty("validation_data_size");
    expect(document?.featurization).toEqual({ mode: "off", drop_columns: [] });
  });

  it("is null, with a reason per problem, while the state is incomplete or out of range", () => {
    expect(buildJobDocument(initialState)).toBeNull();
    expect(problems(initialState)).toEqual(["choose a dataset", "enter an experiment name", "choose the target column"]);
    const bad = { ...ready, timeoutMinutes: 0, maxConcurrentTrials: 1.5, validation: "cv" as const, folds: 1, dropColumns: ["Attrition"] };
    expect(problems(bad)).toEqual([
      "the training time must be more than 0 minutes",
      "max concurrent iterations must be a whole number from 1 to 64",
      "cross-validation needs a whole number of folds from 2 to 20",
      "the target column cannot be dropped",
    ]);
    expect(problems({ ...ready, validation: "split", validationSize: 1 })).toEqual(["the validation size must be a share between 0 and 1, such as 0.2"]);
    expect(problems({ ...ready, timeoutMinutes: Number.NaN })).toHaveLength(1);
  });
});

describe("withTask", () => {
  it("switching the task takes its default metric and clears blocked algorithms", () => {
    const state = { ...ready, blockedAlgorithms: ["LogisticRegression"] };
    expect(withTask(state, "regression", "r2_score")).toMatchObject({ task: "regression", primaryMetric: "r2_score", blockedAlgorithms: [] });
    expect(withTask(state, "classification", "AUC_weighted")).toBe(state);
    expect(withTask({ ...state, primaryMetric: "" }, "classification", "AUC_weighted").primaryMetric).toBe("AUC_weighted");
  });
});
