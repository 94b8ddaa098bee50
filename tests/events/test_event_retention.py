"""Event retention against a real server: events and finished deliveries older than
``events.retention_days`` are deleted when the server starts; an event a delivery still has to send,
newer events and every audit record stay."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import yaml

from .conftest import model_folder, start_server, wait_until


def set_retention(root: Path, days: float) -> None:
    path = root / ".modelyard" / "workspace.yaml"
    config = yaml.safe_load(path.read_text())
    config["events"] = {"retention_days": days}
    path.write_text(yaml.safe_dump(config))


def age_everything(root: Path, days: float) -> None:
    """Move every event and finished delivery ``days`` into the past, as if the workspace had run that long."""
    from sqlalchemy import update

    from modelyard.services import ServiceContext
    from modelyard.services import workspace as workspaces
    from modelyard.store import DeliveryRow, EventRow, utcnow

    context = ServiceContext.open(workspaces.load(root))
    then = utcnow() - timedelta(days=days)
    try:
        with context.session() as session:
            session.execute(update(EventRow).values(time=then))
            session.execute(update(DeliveryRow).where(DeliveryRow.finished_at.is_not(None)).values(finished_at=then))
    finally:
        context.close()


def test_the_server_prunes_old_delivered_events_and_keeps_audit_records(workspace_root, receiver):
    from modelyard import Workspace
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    receiver.modes["/fail"] = "fail"
    set_retention(workspace_root, 10)
    start_server(workspace_root, backoff_seconds=3600)  # a failed attempt stays Pending for an hour
    with Workspace(workspace_root) as ws:
        ws.webhooks.create(name="ok", url=receiver.url + "/ok", events=["model.registered"])
        ws.webhooks.create(name="fail", url=receiver.url + "/fail", events=["model.aliased"])
        ws.models.create(name="old", path=str(model_folder(workspace_root)))
        ws.models.update("old:1", set_aliases=["champion"])
        wait_until(lambda: [d for d in ws.webhooks.deliveries("ok") if d.status == "Succeeded"],
                   what="the registration delivered")
        wait_until(lambda: [d for d in ws.webhooks.deliveries("fail") if d.attempts == 1 and d.error],
                   what="the alias's first attempt failed")
        audit = [r.seq for r in ws.audit.list(limit=1000)]
    servers.stop(workspaces.load(workspace_root))
    age_everything(workspace_root, 20)  # older than 10 days, newer than the default 30

    start_server(workspace_root, backoff_seconds=3600)
    with Workspace(workspace_root) as ws:
        ws.models.create(name="new", path=str(model_folder(workspace_root, "new")))

        def subjects() -> set[tuple[str, str]]:
            return {(e.type.removeprefix("modelyard."), e.subject) for e in ws.events.list(limit=1000).events}

        wait_until(lambda: ("model.registered", "old:1") not in subjects(), what="the old delivered event deleted")
        assert ("model.aliased", "old:1") in subjects()  # its delivery is still Pending
        assert ("model.registered", "new:1") in subjects()
        assert [d.status for d in ws.webhooks.deliveries("fail")] == ["Pending"]
        wait_until(lambda: [d for d in ws.webhooks.deliveries("ok") if d.status == "Succeeded"],
                   what="the new registration delivered")
        assert [d.event_type for d in ws.webhooks.deliveries("ok")] == ["modelyard.model.registered"]
        assert len(ws.webhooks.deliveries("ok")) == 1  # the old finished delivery is gone

        kept = {r.seq for r in ws.audit.list(limit=1000)}
        assert set(audit) <= kept and ws.audit.verify().ok
