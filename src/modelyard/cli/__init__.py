"""The ``modelyard`` command-line interface (Typer), a client of the SDK."""


def main() -> None:
    from modelyard.cli._app import main as run

    run()


__all__ = ["main"]
