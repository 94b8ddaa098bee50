"""What a submitted draft's steps leave: the built-in modules' metrics in their step's MLflow run, where the
studio's Metrics drawer and MLflow read them, equal to what the modules' outputs hold; and a dataset port's
profile over the same columns as its table."""

from __future__ import annotations

import pytest

from tests.designer_api.test_submit import steps_of


def latest(ws, step_job) -> dict[str, float]:
    return {name: history[-1]["value"] for name, history in ws.jobs.metric_history(step_job).items()}


def test_evaluate_train_and_split_steps_log_what_their_outputs_hold(trained):
    ws, run = trained
    steps = steps_of(ws, run)

    evaluation = ws.designer_drafts.read_port(steps["evaluate"].name, "evaluation_results")["value"]["left"]
    logged = latest(ws, steps["evaluate"].name)
    assert set(logged) == {"Accuracy", "Precision", "Recall", "F1 Score", "AUC", "Average Log Loss"}
    assert logged == pytest.approx(evaluation["metrics"])

    split = latest(ws, steps["split"].name)
    assert split == {"Rows in results dataset1": 1029, "Rows in results dataset2": 441}

    train = latest(ws, steps["train"].name)
    assert train["Training rows"] == 1029 and train["Training seconds"] > 0

    assert latest(ws, steps["score"].name) == {}  # Score Model's output is a table: nothing to log
    assert {step.step: step.metrics for step in ws.jobs.children(run, metrics=True)}["evaluate"] == \
        pytest.approx(evaluation["metrics"])  # the run view's per-step metrics read the same run


@pytest.mark.parametrize(("step", "port"), [("score", "scored_dataset"), ("split", "results_dataset2"),
                                            ("select", "results_dataset")])
def test_a_dataset_ports_profile_has_the_columns_of_its_table(trained, step, port):
    ws, run = trained
    job = steps_of(ws, run)[step].name
    table = [column["name"] for column in ws.designer_drafts.read_port(job, port, limit=1)["columns"]]
    profile = [column.name for column in ws.designer_drafts.profile_port(job, port).columns]
    assert profile == table  # Split Data's rows keep their original index, which is no column of the port
