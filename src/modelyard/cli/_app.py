"""The ``modelyard`` command: mirrors ``az ml``."""

from __future__ import annotations

import sys

import typer

from modelyard.cli import (
    audit, batch_endpoint, compute, data, datastore, designer, endpoint, environment, job, lineage, model, monitor,
    pipeline_endpoint, schedule, server, v1, webhook, workspace,
)
from modelyard.cli._common import State

app = typer.Typer(name="modelyard", help="A self-hosted machine-learning workspace.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
app.add_typer(workspace.app, name="workspace")
app.add_typer(datastore.app, name="datastore")
app.add_typer(data.app, name="data")
app.add_typer(compute.app, name="compute")
app.add_typer(job.app, name="job")
app.add_typer(job.component_app, name="component")
app.add_typer(designer.app, name="designer")
app.add_typer(model.app, name="model")
app.add_typer(endpoint.app, name="online-endpoint")
app.add_typer(endpoint.deployment_app, name="online-deployment")
app.add_typer(batch_endpoint.app, name="batch-endpoint")
app.add_typer(batch_endpoint.deployment_app, name="batch-deployment")
app.add_typer(schedule.app, name="schedule")
app.add_typer(audit.app, name="audit")
app.command("lineage")(lineage.lineage)
app.add_typer(pipeline_endpoint.app, name="pipeline-endpoint")
app.add_typer(monitor.app, name="monitor")
app.add_typer(webhook.app, name="webhook")
app.add_typer(webhook.events_app, name="events")
app.add_typer(v1.run_app, name="run")
app.add_typer(environment.app, name="environment")
app.command("up")(server.up)
app.command("down")(server.down)
app.command("status")(server.status)


@app.callback()
def root(workspace_path: str = typer.Option(None, "--workspace", "-w", envvar="MODELYARD_WORKSPACE",
                                             help="workspace folder (default: found upward from here)"),
         message: str = typer.Option(None, "--message", "-m",
                                     help="why: kept with this command's changes in the audit trail")) -> None:
    State.workspace = workspace_path
    State.message = message


def main() -> None:
    from modelyard.errors import ModelyardError

    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except ModelyardError as error:
        print(f"error: {error.message}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        sys.exit(1)
    except Exception as error:  # usage errors (an unknown command, a bad option) and the like
        if isinstance(error, _click_exceptions()):
            error.show()  # the usage, the error and the closest command name: no traceback
            sys.exit(error.exit_code)
        raise


def _click_exceptions() -> tuple[type[Exception], ...]:
    """Click's error classes: newer Typer raises those of the Click it carries inside, older Typer Click's own."""
    import importlib

    found = []
    for module in ("typer._click.exceptions", "click.exceptions"):
        try:
            found.append(importlib.import_module(module).ClickException)
        except ImportError:
            pass
    return tuple(found)
