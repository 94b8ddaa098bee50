"""What the runtime reads and does to jobs by name (services/job_runs.py), and an AutoML job's trials made
through it, with no store row outside services."""

from __future__ import annotations

from types import SimpleNamespace

from modelyard.services import job_lifecycle as lifecycle, job_runs as runs
from modelyard.spec.job_status import JobStatus as S


def add(context, name: str, status: S = S.NOT_STARTED, **fields) -> None:
    row = lifecycle.new_job(name=name, type=fields.pop("type", "command"), compute="local", experiment_name="Default",
                            spec=fields.pop("spec", {"command": "true"}), **fields)
    if status == S.QUEUED:
        lifecycle.queue(row)
    elif status == S.RUNNING:
        lifecycle.start(row)
    with context.session() as session:
        session.add(row)


def test_a_step_is_queued_or_reused_and_the_pipeline_ends_once(context):
    add(context, "pipe", S.RUNNING, type="pipeline", spec={"jobs": {}})
    add(context, "earlier", S.RUNNING, outputs={"o": {"key": "k", "hash": "h"}}, mlflow_run_id="run-1")
    assert runs.finish(context, "earlier", S.COMPLETED).status == S.COMPLETED
    runs.record(context, "earlier", reuse_key="same-work")
    for step in ("a", "b", "c"):
        add(context, f"pipe_{step}", parent="pipe", step=step)
    assert [c.step for c in runs.children(context, "pipe")] == ["a", "b", "c"]
    assert runs.driven_pipelines(context) == ["pipe"]

    runs.queue_step(context, "pipe_a", {"command": "echo a"}, "same-work", runs.reusable(context, "same-work"))
    runs.queue_step(context, "pipe_b", {"command": "echo b"}, "other-work", runs.reusable(context, "other-work"))
    a, b = runs.get(context, "pipe_a"), runs.get(context, "pipe_b")
    assert (a.status, a.reused_from, a.outputs, a.mlflow_run_id) == (S.COMPLETED, "earlier", {"o": {"key": "k", "hash": "h"}},
                                                                   "run-1")
    assert (b.status, b.spec, b.reuse_key) == (S.QUEUED, {"command": "echo b"}, "other-work")
    assert runs.reusable(context, "other-work") is None  # not done yet

    runs.cancel_unfinished(context, ["pipe_a", "pipe_b", "pipe_c"], "not run: step 'x' failed")
    assert [c.status for c in runs.children(context, "pipe")] == [S.COMPLETED, S.CANCELED, S.CANCELED]
    ended = runs.finish(context, "pipe", S.FAILED, error="step(s) did not complete")
    assert ended.status == S.FAILED and runs.finish(context, "pipe", S.COMPLETED) is None  # a late finish changes nothing
    assert runs.driven_pipelines(context) == [] and runs.state(context, "missing") is None


def test_a_lost_job_is_queued_again_then_failed(context):
    add(context, "flaky", S.QUEUED)
    assert lifecycle.claim_next(context, "local", None) == "flaky"
    assert runs.lose(context, "flaky", "worker", max_retries=1).status == S.QUEUED
    assert lifecycle.claim_next(context, "local", None) == "flaky"
    runs.start(context, "flaky", pid=4242)
    assert [j.name for j in runs.active_on(context, ["local"])] == ["flaky"]
    failed = runs.lose(context, "flaky", "worker", max_retries=1)
    assert failed.status == S.FAILED and "worker lost" in failed.error and failed.pid is None
    assert runs.lose(context, "flaky", "worker", max_retries=1) is None


def test_an_automl_job_records_its_trials_as_child_jobs(context):
    from modelyard.runtime._automl import JobReporter
    from modelyard.services._tracking import start_run

    add(context, "search", S.RUNNING, type="automl", spec={})
    parent = runs.get(context, "search")
    reporter = JobReporter(context, parent, start_run(context.location, parent, None))
    reporter.on_trial_start("t1", "LightGBM", {"n_estimators": 10})
    reporter.on_trial_end(SimpleNamespace(trial_id="t1", algorithm="LightGBM", params={}, metrics={"AUC_weighted": 0.8},
                                          charts=None, status="Completed", primary=0.8, error=None, featurization=[],
                                          members=[], placement={"executor": "processes"}, duration_seconds=1.0))
    reporter.on_progress(1, 0.8, 12.34)
    trial = runs.get(context, "search_t1")
    assert (trial.status, trial.parent, trial.step, trial.type) == (S.COMPLETED, "search", "t1", "trial")
    assert trial.properties["score"] == 0.8 and trial.properties["executor"] == "processes" and trial.mlflow_run_id
    assert runs.get(context, "search").properties == {"trials_done": 1, "best_score": 0.8, "seconds_left": 12.3}
    runs.finish_children(context, "search", S.CANCELED, "its parent job failed")  # an ended trial stays as it is
    assert runs.get(context, "search_t1").status == S.COMPLETED
