"""The job lifecycle: which moves are legal, what each one stamps, and that claiming is exclusive."""

import itertools

import pytest

from modelyard.errors import Conflict
from modelyard.services import job_lifecycle as lifecycle
from modelyard.spec.job_status import JobStatus as S

# Every legal move, written out once more by hand: a change to the table must change this too.
LEGAL = {
    (S.NOT_STARTED, S.QUEUED), (S.NOT_STARTED, S.RUNNING), (S.NOT_STARTED, S.COMPLETED), (S.NOT_STARTED, S.CANCELED),
    (S.QUEUED, S.PREPARING), (S.QUEUED, S.CANCELED),
    (S.PREPARING, S.RUNNING), (S.PREPARING, S.QUEUED), (S.PREPARING, S.FAILED), (S.PREPARING, S.CANCELED),
    (S.RUNNING, S.FINALIZING), (S.RUNNING, S.QUEUED), (S.RUNNING, S.COMPLETED), (S.RUNNING, S.FAILED),
    (S.RUNNING, S.CANCELED),
    (S.FINALIZING, S.QUEUED), (S.FINALIZING, S.COMPLETED), (S.FINALIZING, S.FAILED), (S.FINALIZING, S.CANCELED),
}


def job(status: S = S.NOT_STARTED, **fields):
    return lifecycle.new_job(name="brave_river_k3m9x2", type="command", compute="local", status=status, **fields)


@pytest.mark.parametrize(("source", "target"), list(itertools.product(S, S)))
def test_the_transition_table_allows_exactly_the_legal_moves(source, target):
    row = job(source)
    if (source, target) in LEGAL:
        lifecycle._move(row, target)
        assert row.status == target and target in row.history
    else:
        with pytest.raises(Conflict, match=f"job 'brave_river_k3m9x2' cannot go from {source} to {target}"):
            lifecycle._move(row, target)
        assert row.status == source and row.history == {}


def test_terminal_states_are_final_and_a_late_finish_changes_nothing():
    for status in (S.COMPLETED, S.FAILED, S.CANCELED):
        assert status.is_terminal and not status.is_active and not status.is_waiting
        row = job(status, error="first")
        assert lifecycle.finish(row, S.FAILED, error="late") is False
        assert (row.status, row.error, row.ended_at) == (status, "first", None)
        assert lifecycle.lose(row, "worker", max_retries=3) is None
    with pytest.raises(ValueError, match="terminal"):
        lifecycle.finish(job(S.RUNNING), S.QUEUED)


def test_a_command_job_stamps_each_step_in_order():
    row = job()
    lifecycle.queue(row)
    assert row.queued_at is not None and row.started_at is None
    row.status = S.PREPARING  # what claim_next's atomic update writes
    lifecycle.start(row)
    started = row.started_at
    lifecycle.finalize(row)
    assert lifecycle.finish(row, S.COMPLETED, outputs={"out": {}}) is True
    assert list(row.history) == ["Queued", "Running", "Finalizing", "Completed"]
    assert row.started_at == started <= row.ended_at and row.outputs == {"out": {}}


def test_a_lost_job_is_retried_while_retries_remain_then_fails():
    row = job(S.RUNNING, attempt=1, pid=42, instance_id=7)
    assert lifecycle.lose(row, "worker", max_retries=1) == S.QUEUED
    assert (row.pid, row.instance_id, row.error) == (None, None, "worker lost on attempt 1; retrying")
    row.status, row.attempt = S.RUNNING, 2
    assert lifecycle.lose(row, "submission", max_retries=1) == S.FAILED
    assert row.error == "submission lost: the process running the job died (after 2 attempts)"
    asked = job(S.PREPARING, attempt=1, cancel_requested=True)
    assert lifecycle.lose(asked, "worker", max_retries=5) == S.FAILED  # a job asked to stop is not run again


def test_cancel_ends_a_waiting_job_at_once_and_asks_a_running_one():
    waiting = job(S.QUEUED)
    lifecycle.cancel(waiting, "canceled by the user")
    assert (waiting.status, waiting.error, waiting.cancel_requested) == (S.CANCELED, "canceled by the user", True)
    running = job(S.RUNNING)
    lifecycle.cancel(running, "canceled by the user")
    assert (running.status, running.cancel_requested) == (S.RUNNING, True)
    pipeline = job(S.RUNNING)
    lifecycle.cancel(pipeline, "canceled by the user", at_once=True)
    assert pipeline.status == S.CANCELED


def test_a_reused_step_completes_with_the_earlier_outputs_and_no_duration():
    earlier = job(S.COMPLETED, outputs={"model": {"key": "jobs/x/outputs/model"}}, mlflow_run_id="run1")
    earlier.name = "earlier_step"
    row = job()
    lifecycle.reuse(row, earlier)
    assert (row.status, row.reused_from, row.outputs, row.mlflow_run_id) == (
        S.COMPLETED, "earlier_step", earlier.outputs, "run1")
    assert row.properties["reused"] is True and row.started_at == row.ended_at


def test_claiming_takes_the_oldest_queued_job_once(workspace_root):
    from modelyard.services import workspace as workspaces
    from modelyard.services._context import ServiceContext

    context = ServiceContext.open(workspaces.load(workspace_root))
    try:
        with context.session() as session:
            for name in ("first_job", "second_job"):
                row = lifecycle.new_job(name=name, type="command", compute="local", experiment_name="Default",
                                        spec={"command": "true"})
                lifecycle.queue(row)
                session.add(row)
        assert lifecycle.claim_next(context, "local", instance_id=None) == "first_job"
        assert lifecycle.claim_next(context, "local", instance_id=None) == "second_job"
        assert lifecycle.claim_next(context, "local", instance_id=None) is None
        with context.session() as session:
            claimed = lifecycle.locked(session, "first_job")
            assert (claimed.status, claimed.attempt) == (S.PREPARING, 1)
            assert list(claimed.history) == ["Queued", "Preparing"]
        assert lifecycle.heartbeat(context, "first_job", instance_id=None) is False
        lifecycle.change(context, "first_job", lambda row: lifecycle.cancel(row, "canceled by the user"))
        assert lifecycle.heartbeat(context, "first_job", instance_id=None) is True
    finally:
        context.close()
