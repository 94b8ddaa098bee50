"""``modelyard audit list / verify``: who changed what, when, from where and why."""

from __future__ import annotations

import sys

import typer

from modelyard.cli._common import OUTPUT, workspace
from modelyard.cli._output import Format, emit

app = typer.Typer(help="The audit trail of every change made through the API.", no_args_is_help=True)


def _row(record) -> dict:
    return {"seq": record.seq, "at": record.at.strftime("%Y-%m-%d %H:%M:%S"), "who": record.who,
            "verb": record.verb, "noun": record.noun, "name": record.name, "version": record.version,
            "status": record.status, "from": record.client, "reason": record.reason,
            "changed": ", ".join(sorted({field for change in record.diff for field in change.get("after", {})}))}


@app.command("list")
def list_(since: str = typer.Option(None, help="30m, 12h, 7d, 2w, or an ISO date or time"),
          noun: str = typer.Option(None, help="e.g. model, data, job, online-endpoint"),
          who: str = typer.Option(None, help="a user name, or token:<fingerprint>"),
          limit: int = typer.Option(100, help="at most this many, newest first"), output: Format = OUTPUT) -> None:
    """The newest records first."""
    with workspace() as ws:
        records = ws.audit.list(since=since, noun=noun, who=who, limit=limit)
    emit([_row(r) for r in records] if output is Format.table else records, output)


@app.command("verify")
def verify(output: Format = OUTPUT) -> None:
    """Check the hash chain; exits 1 naming each removed or edited record."""
    with workspace() as ws:
        result = ws.audit.verify()
    if output is not Format.table:
        emit(result, output)
    elif result.ok:
        print(f"audit trail intact: {result.records} records, head {result.head or '-'}")
    else:
        for problem in result.problems:
            print(f"record {problem.seq}: {problem.problem}", file=sys.stderr)
    if not result.ok:
        raise typer.Exit(1)
