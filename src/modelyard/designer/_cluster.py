"""K-Means Clustering, Train Clustering Model and Assign Data to Clusters.

With "Normalize features" numeric columns are scaled to [0, 1] (min-max) before clustering, as
Azure does; text and categorical columns are one-hot encoded. Outputs append "Assignments" (the
cluster, from 0) and "DistancesToClusterCenter no.<i>" per cluster.
"""

from __future__ import annotations

from typing import Any

from modelyard.errors import InvalidInput

from modelyard.designer._columns import schema_of, select
from modelyard.designer._learners import SEED, learner, number
from modelyard.designer._registry import columns, enum, module, parameter, port
from modelyard.designer._train import check_features, featurizer
from modelyard.designer._values import TrainedModel, UntrainedModel

ASSIGNMENTS = "Assignments"


def k_means(params: dict[str, Any]):
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=params["number_of_centroids"], max_iter=params["iterations"],
                  init="k-means++" if params["initialization"] == "K-Means++" else "random",
                  random_state=params.get("random_number_seed"))


learner("k_means_clustering", "K-Means Clustering", "clustering", k_means,
        "Groups rows into K clusters around centroids (scikit-learn's KMeans, Euclidean distance).",
        [number("number_of_centroids", "Number of centroids", 2, 2, kind="integer"),
         enum("initialization", "Initialization", ["K-Means++", "Random"]),
         parameter("boolean", "normalize_features", "Normalize features", True),
         number("iterations", "Iterations", 100, 1, kind="integer"), SEED],
        ("number_of_centroids", "iterations"), subcategory="Clustering")


def fit_clusters(untrained: UntrainedModel, dataset, column_set) -> TrainedModel:
    from sklearn.pipeline import Pipeline

    if untrained.task != "clustering":
        raise InvalidInput(f"{untrained.display_name} is not a clustering learner; train it with Train Model, or "
                           "connect K-Means Clustering here")
    names = select(column_set, schema_of(dataset), "column_set")
    features = dataset[names]
    check_features(schema_of(features))
    missing = [name for name in names if features[name].isna().any()]
    if missing:
        raise InvalidInput(f"columns {', '.join(missing)} have missing values; clean them first with Clean Missing "
                           "Data")
    scaler = "minmax" if untrained.parameters.get("normalize_features") else None
    estimator = Pipeline([("featurize", featurizer(schema_of(features), scaler)), ("learner", untrained.estimator())])
    if len(features) < untrained.parameters["number_of_centroids"]:
        raise InvalidInput(f"{len(features)} rows cannot form {untrained.parameters['number_of_centroids']} clusters")
    estimator.fit(features)
    return TrainedModel(untrained.display_name, "clustering", "", names, None, estimator,
                        feature_types=schema_of(features))


def assign(model: TrainedModel, dataset, append: bool):
    import pandas as pd

    if model.task != "clustering":
        raise InvalidInput(f"{model.learner} is not a clustering model; score it with Score Model")
    features = model.features(dataset)
    distances = model.estimator.transform(features)
    scores = pd.DataFrame({ASSIGNMENTS: model.estimator.predict(features)}, index=dataset.index)
    for i in range(distances.shape[1]):
        scores[f"DistancesToClusterCenter no.{i}"] = distances[:, i]
    return pd.concat([dataset, scores], axis=1) if append else scores


APPEND = parameter("boolean", "check_for_append_or_uncheck_for_result_only",
                   "Check for append or uncheck for result only", True)


@module("train_clustering_model", "Train Clustering Model", "Model Training",
        "Trains a clustering learner on the selected columns and assigns the training rows to clusters.",
        inputs=[port("untrained_model", "Untrained model", "UntrainedModel"), port("dataset", "Dataset")],
        outputs=[port("trained_model", "Trained model", "ModelDirectory"), port("results_dataset", "Results dataset")],
        parameters=[columns("column_set", "Column set", "all"), APPEND])
def train_clustering_model(untrained_model, dataset, *, column_set, check_for_append_or_uncheck_for_result_only):
    model = fit_clusters(untrained_model, dataset, column_set)
    return model, assign(model, dataset, check_for_append_or_uncheck_for_result_only)


@module("assign_data_to_clusters", "Assign Data to Clusters", "Model Scoring & Evaluation",
        "Assigns rows to the clusters of a trained clustering model.",
        inputs=[port("trained_model", "Trained model", "ModelDirectory"), port("dataset", "Dataset")],
        outputs=[port("results_dataset", "Results dataset")], parameters=[APPEND])
def assign_data_to_clusters(trained_model, dataset, *, check_for_append_or_uncheck_for_result_only):
    return assign(trained_model, dataset, check_for_append_or_uncheck_for_result_only)
