"""What ``online-deployment`` and ``batch-deployment`` share: the same commands with the same arguments.

A deployment is named as ``az ml`` names it, ``--name``/``-n`` and ``--endpoint-name``/``-e``; its name may also
come first (``online-deployment update blue -e my-endpoint``), as modelyard's first commands wrote it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import typer

from modelyard.cli._common import OUTPUT, spec_fields, workspace
from modelyard.cli._output import Format, emit

NAME = typer.Argument(None, help="the deployment (or --name)", show_default=False)
NAME_OPTION = typer.Option(None, "--name", "-n", help="the deployment")
ENDPOINT = typer.Option(..., "--endpoint-name", "-e", help="the endpoint it belongs to")
CREATE_ENDPOINT = typer.Option(None, "--endpoint-name", "-e", help="the endpoint it belongs to")
FILE = typer.Option(None, "--file", "-f", help="the deployment's YAML")


def one_name(first: str | None, option: str | None) -> str:
    """The deployment named first or with ``--name``."""
    from modelyard.errors import InvalidInput

    if first and option and first != option:
        raise InvalidInput(f"the deployment is named twice, '{first}' and --name '{option}'; give it once")
    if not (first or option):
        raise InvalidInput("name the deployment: --name NAME (or NAME first)")
    return first or option


def create_fields(file: Path | None, **flags: Any) -> dict[str, Any]:
    """The deployment's fields from its YAML (a relative code folder is relative to it) and the flags given."""
    fields = spec_fields(file, **flags)
    code = fields.get("code_configuration")
    if file and isinstance(code, dict) and isinstance(code.get("code"), str) and not Path(code["code"]).is_absolute():
        fields["code_configuration"] = {**code, "code": str((file.parent / code["code"]).resolve())}
    return fields


def add_shared_commands(app: typer.Typer, operations: Callable[[Any], Any], noun: str, columns: list[str],
                        rows: Callable[[list], list[dict]]) -> None:
    """``show``, ``list`` and ``delete`` of the deployments ``operations(ws)`` reaches."""

    @app.command("show")
    def show(name: str = NAME, name_option: str = NAME_OPTION, endpoint_name: str = ENDPOINT,
             output: Format = OUTPUT) -> None:
        """The deployment's settings (and, online, its state)."""
        with workspace() as ws:
            emit(operations(ws).get(one_name(name, name_option), endpoint_name), output)

    @app.command("list")
    def list_(endpoint_name: str = ENDPOINT, output: Format = OUTPUT) -> None:
        """The endpoint's deployments."""
        with workspace() as ws:
            deployments = operations(ws).list(endpoint_name)
        emit(rows(deployments) if output is Format.table else deployments, output, columns)

    @app.command("delete")
    def delete(name: str = NAME, name_option: str = NAME_OPTION, endpoint_name: str = ENDPOINT) -> None:
        """Delete the deployment (an online one must take no traffic any more)."""
        name = one_name(name, name_option)
        with workspace() as ws:
            operations(ws).delete(name, endpoint_name)
        print(f"deleted deployment '{name}' of {noun} '{endpoint_name}'")
