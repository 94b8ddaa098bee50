"""Shape of an Automated ML job (Azure ML v2 style): task, data, metric, limits, training, featurization."""

from __future__ import annotations

from typing import Any, Literal, Union

from pydantic import Field, field_validator, model_validator

from modelyard.spec._common import Name, Record, Spec
from modelyard.spec.job import DataInput, _inputs

Task = Literal["classification", "regression"]
CLASSIFICATION_METRICS = ("accuracy", "AUC_weighted", "AUC_macro", "average_precision_score_weighted",
                          "norm_macro_recall", "precision_score_weighted")
REGRESSION_METRICS = ("r2_score", "normalized_root_mean_squared_error", "normalized_mean_absolute_error",
                      "spearman_correlation")
ALGORITHMS = ("LogisticRegression", "LightGBM", "XGBoostClassifier", "XGBoostRegressor", "RandomForest",
              "ExtraTrees", "ElasticNet", "HistGradientBoosting")
ColumnPurpose = Literal["Numeric", "Categorical", "DateTime", "Text", "Ignore"]


# starting the job's process and preparing the data come out of the budget before the first trial starts
MIN_TIMEOUT_MINUTES = 0.25


class TaskOptions(Record):
    primary_metrics: list[str]
    default_metric: str
    algorithms: list[str]


class AutoMLOptions(Record):
    """What an AutoML job may ask for, per task, and the purposes a column may be given."""

    tasks: dict[Task, TaskOptions]
    column_purposes: list[ColumnPurpose]
    lower_is_better: list[str] = Field(description="primary metrics where a smaller value is better")
    min_timeout_minutes: float = Field(description="the shortest budget the server accepts: less cannot train a model")


class AutoMLLimits(Spec):
    timeout_minutes: float = Field(60, gt=0, le=60 * 24 * 7)
    trial_timeout_minutes: float | None = Field(None, gt=0)
    max_trials: int = Field(1000, ge=1)
    max_concurrent_trials: int = Field(1, ge=1, le=64)
    enable_early_termination: bool = Field(True, description="stop a trial whose first folds cannot beat the best, "
                                           "and stop the search when 20 trials in a row after the first 20 did "
                                           "not improve the best score")
    exit_score: float | None = None


class AutoMLTraining(Spec):
    allowed_training_algorithms: list[str] | None = None
    blocked_training_algorithms: list[str] = Field(default_factory=list)
    enable_vote_ensemble: bool = True
    enable_stack_ensemble: bool = True
    enable_model_explainability: bool = Field(True, description="explain the best model on the training data when "
                                                                "the run ends (output 'explanation'; v1's "
                                                                "model_explainability)")


class Featurization(Spec):
    mode: Literal["auto", "off", "custom"] = "auto"
    column_name_and_types: dict[str, ColumnPurpose] = Field(default_factory=dict)
    drop_columns: list[str] = Field(default_factory=list)
    transformer_params: dict[str, Any] = Field(default_factory=dict)


class AutoMLJob(Spec):
    schema_: str | None = Field(None, alias="$schema")
    type: Literal["automl"] = "automl"
    name: Name | None = None
    display_name: str | None = None
    description: str | None = None
    experiment_name: Name | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    compute: str | None = None
    task: Task
    training_data: Union[DataInput, str]
    validation_data: Union[DataInput, str, None] = None
    target_column_name: str = Field(min_length=1)
    primary_metric: str | None = None
    validation_data_size: float | None = Field(None, gt=0, lt=1)
    n_cross_validations: int | None = Field(None, ge=2, le=20)
    weight_column_name: str | None = None
    positive_label: Union[str, int, bool, None] = None
    limits: AutoMLLimits = Field(default_factory=AutoMLLimits)
    training: AutoMLTraining = Field(default_factory=AutoMLTraining)
    featurization: Featurization = Field(default_factory=Featurization)

    @field_validator("training_data", "validation_data", mode="before")
    @classmethod
    def _data(cls, value: Any) -> Any:
        if isinstance(value, str):
            parsed = _inputs({"x": value})["x"]
            return parsed if isinstance(parsed, DataInput) else DataInput(path=value, type="uri_file")
        return value

    @field_validator("compute")
    @classmethod
    def _compute_name(cls, value: str | None) -> str | None:
        return value.removeprefix("azureml:") if value else value

    @model_validator(mode="after")
    def _metric_fits_task(self) -> "AutoMLJob":
        allowed = CLASSIFICATION_METRICS if self.task == "classification" else REGRESSION_METRICS
        if self.primary_metric is None:
            self.primary_metric = "AUC_weighted" if self.task == "classification" else "r2_score"
        elif self.primary_metric not in allowed:
            raise ValueError(f"primary_metric {self.primary_metric!r} does not fit a {self.task} task; "
                             f"choose one of {', '.join(allowed)}")
        unknown = [a for a in (self.training.allowed_training_algorithms or []) + self.training.blocked_training_algorithms
                   if a not in ALGORITHMS]
        if unknown:
            raise ValueError(f"unknown training algorithm(s) {', '.join(unknown)}; known: {', '.join(ALGORITHMS)}")
        if self.validation_data is not None and (self.validation_data_size or self.n_cross_validations):
            raise ValueError("give one of validation_data, validation_data_size or n_cross_validations")
        if self.validation_data_size and self.n_cross_validations:
            raise ValueError("give validation_data_size or n_cross_validations, not both")
        return self


class TrialJob(Spec):
    """One trial of an AutoML job (a child job its AutoML job runs): the algorithm and the hyperparameters tried."""

    type: Literal["trial"] = "trial"
    algorithm: str
    params: dict[str, Any] = Field(default_factory=dict)


class RefitMember(Spec):
    """A member of an ensemble trial: its algorithm, hyperparameters and weight."""

    algorithm: str
    params: dict[str, Any] = Field(default_factory=dict)
    weight: float


class RefitConfiguration(Spec):
    """A validated trial's algorithm and hyperparameters; an ensemble's members' too."""

    algorithm: str
    params: dict[str, Any] = Field(default_factory=dict)
    members: list[RefitMember] = Field(default_factory=list)


class AutoMLRefitJob(Spec):
    """Refitting a trial's model on demand: the AutoML job's spec (data versions pinned) and the trial's
    configuration, pinned when the refit was asked for."""

    type: Literal["automl_refit"] = "automl_refit"
    trial: str = Field(description="the trial job whose model is refit")
    configuration: RefitConfiguration
    automl: AutoMLJob
    explain: bool = Field(False, description="also explain the refit model (its output 'explanation')")
