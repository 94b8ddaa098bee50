from __future__ import annotations

import typer

from modelyard.cli._common import OUTPUT, workspace
from modelyard.cli._output import Format, emit

app = typer.Typer(help="Webhooks: signed POSTs of lifecycle events (job.completed, model.registered, ...).",
                  no_args_is_help=True)
events_app = typer.Typer(help="Lifecycle events (CloudEvents): list them or follow them live.", no_args_is_help=True)
COLUMNS = ["name", "url", "events", "description", "created_at"]
DELIVERY_COLUMNS = ["id", "event_type", "status", "attempts", "response_code", "error", "duration_ms", "created_at"]


def _names(text: str | None) -> list[str] | None:
    return [part.strip() for part in text.split(",") if part.strip()] if text else None


@app.command("create")
def create(url: str = typer.Option(..., help="http(s) URL the events are POSTed to"),
           events: str = typer.Option(..., help="comma-separated event types, e.g. job.completed,model.registered"),
           name: str = typer.Option(None, help="default: webhook-<random>"),
           secret: str = typer.Option(None, help="HMAC key (16+ characters); default: a new one, shown once"),
           description: str = typer.Option(None), output: Format = OUTPUT) -> None:
    """Create a webhook; its secret is shown this once (keep it to verify the signatures)."""
    with workspace() as ws:
        emit(ws.webhooks.create(url=url, events=_names(events), name=name, secret=secret, description=description),
             output)


@app.command("list")
def list_(output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.webhooks.list(), output, COLUMNS)


@app.command("show")
def show(name: str, output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.webhooks.get(name), output)


@app.command("delete")
def delete(name: str) -> None:
    with workspace() as ws:
        ws.webhooks.delete(name)
    print(f"deleted webhook '{name}'")


@app.command("test")
def test(name: str, timeout: float = typer.Option(60, help="seconds to wait for the outcome"),
         output: Format = OUTPUT) -> None:
    """Send a webhook.ping event to this webhook and wait for the outcome; exits non-zero unless it Succeeded."""
    with workspace() as ws:
        delivery = ws.webhooks.wait(name, ws.webhooks.test(name).id, timeout)
    emit(delivery, output)
    if delivery.status != "Succeeded":
        raise typer.Exit(1)


@app.command("deliveries")
def deliveries(name: str, status: str = typer.Option(None, help="Pending, Succeeded or Failed"),
               limit: int = typer.Option(100), output: Format = OUTPUT) -> None:
    """The webhook's deliveries, newest first."""
    with workspace() as ws:
        emit(ws.webhooks.deliveries(name, status, limit), output, DELIVERY_COLUMNS)


@app.command("redeliver")
def redeliver(name: str, delivery: int = typer.Argument(..., help="the delivery's id"),
              output: Format = OUTPUT) -> None:
    """Send a delivery's event again (as a new delivery)."""
    with workspace() as ws:
        emit(ws.webhooks.redeliver(name, delivery), output)


@events_app.command("list")
def list_events(since: str = typer.Option(None, help="a sequence number (next_since) or an ISO time"),
                type: str = typer.Option(None, "--type", help="comma-separated event types"),
                limit: int = typer.Option(100), output: Format = OUTPUT) -> None:
    with workspace() as ws:
        page = ws.events.list(since, _names(type), limit)
    if output is Format.table:
        emit([_line(event) for event in page.events], output, ["sequence", "time", "type", "subject"])
        print(f"next: --since {page.next_since}")
    else:
        emit(page, output)


@events_app.command("tail")
def tail(type: str = typer.Option(None, "--type", help="comma-separated event types (default: all)"),
         since: str = typer.Option(None, help="replay from this sequence number or ISO time first"),
         output: Format = OUTPUT) -> None:
    """Print events as they happen, until interrupted (one line each; -o json: one CloudEvent per line)."""
    with workspace() as ws:
        for event in ws.events.stream(_names(type), since):
            if output is Format.table:
                line = _line(event)
                print(f"{line['sequence']:>8}  {line['time']}  {line['type']:<28} {line['subject'] or ''}", flush=True)
            else:
                print(event.model_dump_json(), flush=True)


def _line(event) -> dict:
    return {"sequence": event.sequence, "time": event.time.isoformat(timespec="seconds"),
            "type": event.type.removeprefix("modelyard."), "subject": event.subject}
