"""The shared ending of a job runner's ``main``: its exit code, or a ModelyardError's message and exit code 2."""

from __future__ import annotations

import sys
from typing import Any, Callable


def exit_with(run: Callable[..., int], *args: Any) -> None:
    try:
        sys.exit(run(*args))
    except Exception as error:
        from modelyard.errors import ModelyardError

        if not isinstance(error, ModelyardError):
            raise
        print(f"error: {error.message}", file=sys.stderr, flush=True)
        sys.exit(2)


def run_with_options(prog: str, run: Callable[..., int], *options: str) -> None:
    """Parse the runner's required ``--options`` and call ``run`` with their values, in that order."""
    import argparse

    parser = argparse.ArgumentParser(prog=prog)
    for option in options:
        parser.add_argument(option, required=True)
    args = vars(parser.parse_args())
    exit_with(run, *(args[option.lstrip("-").replace("-", "_")] for option in options))
