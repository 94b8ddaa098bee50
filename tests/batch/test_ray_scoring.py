"""Batch scoring on a ray compute: mini-batches run as Ray tasks on a real two-node cluster."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TIMEOUT = 600  # a hang guard under pytest-timeout's 900 s: a loaded machine may take this long
NODES = {"127.0.0.2", "127.0.0.3"}


def test_mini_batches_fan_out_as_ray_tasks(scoring, ray_cluster, tmp_path: Path):
    ws = scoring.ws
    ws.compute.create(name="raycluster", type="ray", address=ray_cluster)
    ws.batch_endpoints.create_or_update(name="attrition-ray")
    ws.batch_deployments.create_or_update(name="ray", endpoint_name="attrition-ray", model="attrition:1",
                                          compute="raycluster", instance_count=2, mini_batch_size=500)
    job = ws.batch_endpoints.invoke("attrition-ray", "employeeattrition:1")
    done = ws.jobs.wait(job.name, timeout=TIMEOUT)
    logs = ws.jobs.logs(job.name)["text"]
    assert done.status == "Completed", (done.error, logs)
    assert "submitted to Ray" in logs and "3 mini-batches of 500, 2 at a time on raycluster" in logs
    assert done.metrics["mini_batches_done"] == 3 and done.metrics["rows_scored"] == 1470
    assert done.properties["nodes"] and set(done.properties["nodes"]) <= NODES  # scored by Ray workers
    driver = next(line for line in logs.splitlines() if line.startswith("mini-batch 1/3"))
    assert any(node in driver for node in NODES)
    scored = pd.read_csv(ws.jobs.download(job.name, "score", tmp_path) / "predictions.csv")
    assert list(scored["prediction"]) == list(scoring.model.predict(scoring.frame))
