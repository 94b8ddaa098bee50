"""The outbox and the dispatcher's claims on PostgreSQL (advisory locks, window functions, timestamptz leases)."""

from __future__ import annotations

from pathlib import Path


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
        with context.session() as session:
            for number in range(3):
                row = lifecycle.new_job(name=f"j{number}", type="command", experiment_name="e", compute="local",
                                        spec={})
                lifecycle.queue(row)
                session.add(row)
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
