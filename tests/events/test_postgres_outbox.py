"""The outbox and the dispatcher's claims on PostgreSQL (advisory locks, window functions, timestamptz leases)."""

from __future__ import annotations

from pathlib import Path


def _queue_three_jobs(context) -> None:
    """Three queued jobs j0..j2: three ``job.queued`` events in the outbox."""
    from modelyard.services import job_lifecycle as lifecycle

    with context.session() as session:
        for number in range(3):
            row = lifecycle.new_job(name=f"j{number}", type="command", experiment_name="e", compute="local", spec={})
            lifecycle.queue(row)
            session.add(row)


def test_events_fan_out_claim_and_finish_on_postgres(tmp_path: Path, fresh_postgres_url: str):
    from modelyard.services import job_lifecycle as lifecycle, workspace as workspaces
    from modelyard.services._context import ServiceContext
    from modelyard.services.webhooks import WebhookService
    from modelyard.spec.webhook import WebhookCreate

    location = workspaces.create(tmp_path / "pgws", name="pg-events", database=fresh_postgres_url)
    context = ServiceContext.open(location)
    try:
        webhooks = WebhookService(context)
        webhooks.create(WebhookCreate(name="a", url="http://127.0.0.1:9/a", events=["job.queued"]))
        webhooks.create(WebhookCreate(name="b", url="http://127.0.0.1:9/b", events=["job.queued", "job.canceled"]))
        _queue_three_jobs(context)
        lifecycle.change(context, "j0", lambda job: lifecycle.cancel(job, "stop"))

        assert webhooks.fan_out() == 3 + 4
        assert webhooks.fan_out() == 0  # each webhook keeps its place in the outbox
        ids = {name: webhook_id for webhook_id, name in webhooks.targets().items()}
        claimed = webhooks.claim({ids["a"]: 2, ids["b"]: 10})
        assert sorted(a.webhook for a in claimed) == ["a", "a", "b", "b", "b", "b"]
        rest = webhooks.claim({ids["a"]: 2, ids["b"]: 10})  # a's third; the others are leased already
        assert [a.webhook for a in rest] == ["a"] and rest[0].delivery_id not in {a.delivery_id for a in claimed}
        assert webhooks.claim({ids["a"]: 2, ids["b"]: 10}) == []
        webhooks.finish_attempts([(attempt, 200, None, 1.0, False) for attempt in claimed])
        webhooks.finish_attempts([(rest[0], 500, "HTTP 500: no", 1.0, False)])
        assert [d.status for d in webhooks.deliveries("b")] == ["Succeeded"] * 4
        retried = webhooks.deliveries("a")[0]
        assert (retried.status, retried.attempts, retried.response_code) == ("Pending", 1, 500)
    finally:
        context.close()


def test_one_dispatch_round_and_pruning_on_postgres(tmp_path: Path, fresh_postgres_url: str):
    """``advance`` (record, fan out and claim in one unsynced transaction) and ``prune`` on PostgreSQL."""
    from datetime import timedelta

    from modelyard.services import workspace as workspaces
    from modelyard.services._context import ServiceContext
    from modelyard.services.events import EventService
    from modelyard.services.webhooks import WebhookService
    from modelyard.spec.webhook import WebhookCreate
    from modelyard.store import utcnow

    location = workspaces.create(tmp_path / "pgws", name="pg-round", database=fresh_postgres_url)
    context = ServiceContext.open(location)
    try:
        webhooks = WebhookService(context)
        webhooks.create(WebhookCreate(name="a", url="http://127.0.0.1:9/a", events=["job.queued"]))
        _queue_three_jobs(context)
        (webhook_id,) = webhooks.targets()
        claimed = webhooks.advance([], {webhook_id: 2})
        assert len(claimed) == 2 and webhooks.advance([], {webhook_id: 0}) == []
        third = webhooks.advance([(attempt, 200, None, 1.0, False) for attempt in claimed], {webhook_id: 2})
        assert len(third) == 1 and third[0].delivery_id not in {a.delivery_id for a in claimed}
        assert sorted(d.status for d in webhooks.deliveries("a")) == ["Pending", "Succeeded", "Succeeded"]

        events = EventService(context)
        assert events.prune(utcnow() - timedelta(days=1)) == (0, 0)  # nothing that old
        assert events.prune(utcnow() + timedelta(seconds=1)) == (2, 2)  # the pending delivery keeps its event
        assert [d.status for d in webhooks.deliveries("a")] == ["Pending"]
        assert [e.subject for e in events.list().events] == ["j2"]
    finally:
        context.close()
