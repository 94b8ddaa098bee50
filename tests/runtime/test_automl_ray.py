"""AutoML on a ray compute: the driver is the Ray job's entrypoint, the trials Ray tasks across two nodes."""

from pathlib import Path

import pandas as pd

from test_ray import ray_ws  # noqa: F401  (the two-node loopback cluster's 'raycluster')
from automl_budget import assert_within_budget

TIMEOUT = 600  # a hang guard under pytest-timeout's 900 s: a loaded machine may take this long
# the fan-out, not the clock, is under test: a roomy budget that max_trials ends (a loaded CI machine took 55 s
# to run one trial as a Ray task, and a one-minute budget ended before any finished; another took 188 s, and only
# the first two trials, one per node, finished within four minutes)
BUDGET_MINUTES = 4.0


def test_automl_trials_fan_out_over_the_ray_cluster(ray_ws, hr_csv: Path):  # noqa: F811
    import mlflow

    root, ws = ray_ws
    job = ws.jobs.create({"type": "automl", "task": "classification", "experiment_name": "automl-ray",
                          "training_data": "azureml:employeeattrition:1", "target_column_name": "Attrition",
                          "compute": "raycluster", "n_cross_validations": 3,
                          "training": {"enable_model_explainability": False},  # trials on Ray are under test
                          "limits": {"timeout_minutes": BUDGET_MINUTES, "max_trials": 4, "max_concurrent_trials": 2}})
    done = ws.jobs.wait(job.name, timeout=TIMEOUT)
    logs = ws.jobs.logs(job.name)["text"]
    assert done.status == "Completed", logs[-3000:]
    assert "submitted to Ray" in logs and "trials on ray" in logs
    assert_within_budget(done, BUDGET_MINUTES)

    trials = ws.jobs.children(job.name)
    searched = [t for t in trials if not t.properties.get("members")]
    assert len(searched) >= 2 and all(t.properties["executor"] == "ray" for t in searched)
    nodes = {t.properties["ray_node_ip"] for t in searched if "ray_node_id" in t.properties}
    where = [(t.name, t.status, t.properties.get("ray_node_ip"), t.properties.get("stopped_because"), t.error)
             for t in searched]
    assert nodes == {"127.0.0.2", "127.0.0.3"}, f"trials ran as Ray tasks on both nodes: {where}\n{logs[-3000:]}"

    mlflow.set_tracking_uri(f"sqlite:///{root / '.modelyard' / 'mlflow.db'}")
    model = mlflow.sklearn.load_model(done.properties["best_model_uri"])
    rows = pd.read_csv(hr_csv, encoding="utf-8-sig").drop(columns=["Attrition"]).head(10)
    assert set(model.predict(rows)) <= {"Yes", "No"} and model.predict_proba(rows).shape == (10, 2)

    other = next(t for t in searched if t.properties.get("trial_status") == "Completed"
                 and not t.properties.get("model_uri"))
    refit = ws.jobs.wait(ws.jobs.refit(other.name).name, timeout=TIMEOUT)
    assert refit.status == "Completed" and refit.compute == "raycluster", ws.jobs.logs(refit.name)["text"][-3000:]
    assert mlflow.sklearn.load_model(refit.properties["model_uri"]).predict(rows).shape == (10,)
