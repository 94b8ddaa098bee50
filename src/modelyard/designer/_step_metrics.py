"""What a built-in module's step logs as metrics, read off its inputs and outputs: Evaluate Model its
metrics (a compared second dataset's under ``compare/``), Train Model its training time and rows, Split
Data each output's row count, Export Data the rows it wrote, Cross Validate Model each fold's metrics
(the step is the fold's number) and their mean under ``mean/``, Tune Model Hyperparameters the sweep's
best value and its run count.

``step_metrics`` returns ``(name, value, step)`` triples; names keep Azure's wording, which MLflow accepts.
"""

from __future__ import annotations

from typing import Any, Callable

Metric = tuple[str, float, int]


def _evaluation(inputs, outputs, seconds) -> list[Metric]:
    results = outputs["evaluation_results"]
    found = [(name, value, 0) for name, value in results["left"]["metrics"].items()]
    if "right" in results:
        found += [(f"compare/{name}", value, 0) for name, value in results["right"]["metrics"].items()]
    return found


def _training(inputs, outputs, seconds) -> list[Metric]:
    return [("Training seconds", seconds, 0), ("Training rows", len(inputs["dataset"]), 0)]


def _split(inputs, outputs, seconds) -> list[Metric]:
    return [("Rows in results dataset1", len(outputs["results_dataset1"]), 0),
            ("Rows in results dataset2", len(outputs["results_dataset2"]), 0)]


def _export(inputs, outputs, seconds) -> list[Metric]:
    return [("Rows exported", len(inputs["dataset"]), 0)]


def _folds(inputs, outputs, seconds) -> list[Metric]:
    table = outputs["evaluation_results_by_fold"].set_index("Fold Number")
    metrics = table.drop(columns=["Number of examples in fold"])
    found = [(name, value, int(fold)) for fold, row in metrics.iterrows() if str(fold).isdigit()
             for name, value in row.items()]
    return found + [(f"mean/{name}", value, 0) for name, value in metrics.loc["Mean"].items()]


def _sweep(inputs, outputs, seconds) -> list[Metric]:
    results = outputs["sweep_results"]
    metric = results.columns[-1]  # the measured metric, after the swept parameters; best first
    return [(f"best/{metric}", results[metric].iloc[0], 0), ("Sweep runs", len(results), 0)]


_BY_MODULE: dict[str, Callable[[dict, dict, float], list[Metric]]] = {
    "evaluate_model": _evaluation, "train_model": _training, "split_data": _split,
    "cross_validate_model": _folds, "tune_model_hyperparameters": _sweep,
    "export_data": _export}


def step_metrics(module_id: str, inputs: dict[str, Any], outputs: dict[str, Any], seconds: float) -> list[Metric]:
    """The metrics a step of ``module_id`` logs, given its inputs and outputs by port name and how many
    seconds the module ran; none for a module not listed above."""
    read = _BY_MODULE.get(module_id)
    return [(name, float(value), step) for name, value, step in read(inputs, outputs, seconds)] if read else []
