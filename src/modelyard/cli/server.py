from __future__ import annotations

import typer

from modelyard.cli._common import OUTPUT, State
from modelyard.cli._output import Format, emit


def _location():
    from modelyard.services import workspace as workspaces

    return workspaces.find(explicit=State.workspace)


def up(host: str = typer.Option("127.0.0.1", help="address to bind; non-loopback addresses require a token"),
       port: int = typer.Option(8686, help="port (0 picks a free one)"),
       detach: bool = typer.Option(False, "--detach", "-d", help="run in the background"),
       require_token: bool = typer.Option(False, help="require the access token even on loopback")) -> None:
    """Start the workspace server."""
    from modelyard import server

    location = _location()
    if detach:
        info = server.start_detached(location, host, port, require_token)
        print(f"modelyard server running at {info.url} (pid {info.pid})")
        if info.token_required:
            print(f"access token: {location.folder / 'token'}")
        return
    if require_token or not server.is_loopback(host):
        print(f"access token required; it is in {location.folder / 'token'}")
    print(f"serving workspace '{location.config.name}' on {host}:{port} (Ctrl+C stops)")
    server.serve(location, host, port, require_token)


def down() -> None:
    """Stop the workspace server."""
    from modelyard import server

    info = server.stop(_location())
    print(f"stopped the server (pid {info.pid})" if info else "no server was running")


def status(output: Format = OUTPUT) -> None:
    """Say whether the workspace server runs, and where."""
    from modelyard import server

    info = server.running(_location())
    state = {"running": bool(info), "url": info.url if info else None, "pid": info.pid if info else None,
             "token_required": info.token_required if info else None}
    emit(state, output)
    if not info:
        raise typer.Exit(3)
