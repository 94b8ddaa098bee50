import { describe, expect, it } from "vitest";
import { buildJobDocument, describeHours, initialState, problems, withTask, type AutoMLWizardState } from "./jobDocument";

const ready: AutoMLWizardState = {
  ...initialState,
  dataset: { name: "employeeattrition", version: 2 },
  experimentName: " automl-attrition ",
  targetColumn: "Attrition",
  compute: "cpucluster",
  primaryMetric: "AUC_weighted",
  trainingHours: 0.25,
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
      limits: { timeout_minutes: 15, max_concurrent_trials: 2 },
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
    const bad = { ...ready, trainingHours: 0, maxConcurrentTrials: 1.5, validation: "cv" as const, folds: 1, dropColumns: ["Attrition"] };
    expect(problems(bad)).toEqual([
      "enter the training job time in hours, such as 0.25 for 15 minutes",
      "max concurrent iterations must be a whole number from 1 to 64",
      "cross-validation needs a whole number of folds from 2 to 20",
      "the target column cannot be dropped",
    ]);
    expect(problems({ ...ready, validation: "split", validationSize: 1 })).toEqual(["the validation size must be a share between 0 and 1, such as 0.2"]);
    expect(problems({ ...ready, trainingHours: Number.NaN })).toHaveLength(1);
  });

  it("sends Max trials only when it is filled in, and refuses one that is not a whole number of at least 1", () => {
    expect(buildJobDocument({ ...ready, maxTrials: 6 })?.limits).toMatchObject({ max_trials: 6 });
    expect(buildJobDocument(ready)?.limits).not.toHaveProperty("max_trials");
    for (const maxTrials of [0, 2.5, -1])
      expect(problems({ ...ready, maxTrials })).toEqual(["max trials must be a whole number of at least 1, or left empty for no limit"]);
  });

  it("takes the budget in hours, as Azure's form does, and refuses one too short to train anything", () => {
    expect(describeHours(0.25)).toBe("15 minutes");
    expect(describeHours(1.5)).toBe("1 hour 30 minutes");
    expect(buildJobDocument({ ...ready, trainingHours: 0.5 / 60 })?.limits).toEqual({ timeout_minutes: 0.5, max_concurrent_trials: 2 });
    // 0.25 typed as minutes in hours' place is 15 minutes, not 15 seconds
    expect(buildJobDocument({ ...ready, trainingHours: 0.25 })?.limits).toMatchObject({ timeout_minutes: 15 });
    expect(problems({ ...ready, trainingHours: 0.002 })).toEqual([
      "7 s cannot train any model: starting the run and preparing the data need at least 15 s (0.0042 hours)",
    ]);
    expect(problems({ ...ready, trainingHours: 0.002 }, 0.1)).toEqual([]);
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
