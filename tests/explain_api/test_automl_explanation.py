"""AutoML explains its best model when the run ends (training.enable_model_explainability, on by default)."""

from __future__ import annotations

from .conftest import JOB_SECONDS


def automl(**fields) -> dict:
    """Not a budget test: a roomy budget that max_trials ends, so a loaded machine still finishes trials."""
    return {"type": "automl", "task": "classification", "experiment_name": "automl-explained",
            "training_data": "azureml:employeeattrition:1", "target_column_name": "Attrition",
            "n_cross_validations": 3, "limits": {"timeout_minutes": 3, "max_trials": 4, "max_concurrent_trials": 2}, **fields}


def test_the_best_model_is_explained_and_its_model_version_lists_it(analysed):
    ws = analysed.ws
    job = ws.jobs.wait(ws.jobs.create(automl()).name, timeout=JOB_SECONDS)
    assert job.status == "Completed", job.error
    explained = job.properties["explanation"]
    assert explained["status"] == "Completed", explained
    assert "explanation_seconds" in job.properties["timings"]
    assert job.outputs["explanation"]["files"] == 1

    ws.models.create(name="automl-best", path=f"job:{job.name}")
    assert [a.job for a in ws.models.analyses("automl-best:1")] == [job.name]
    explanation = ws.models.explanation("automl-best:1")
    assert explanation.method == explained["method"] and explanation.rows_total == 1470
    assert explanation.raw is not None and "OverTime" in explanation.raw.features

    # the labels of an AutoML model's analyses default to its AutoML job's target column
    errors = ws.jobs.wait(ws.models.analyze_errors("automl-best:1", "employeeattrition").name, timeout=JOB_SECONDS)
    assert errors.status == "Completed", errors.error
    assert errors.spec.target == "Attrition" and ws.models.error_analysis("automl-best:1").rows == 1470


def test_with_model_explainability_off_nothing_is_explained(analysed):
    ws = analysed.ws
    job = ws.jobs.wait(ws.jobs.create(automl(training={"enable_model_explainability": False})).name,
                       timeout=JOB_SECONDS)
    assert job.status == "Completed", job.error
    assert "explanation" not in job.properties and "explanation" not in job.outputs
    assert "explanation_seconds" not in job.properties["timings"]
