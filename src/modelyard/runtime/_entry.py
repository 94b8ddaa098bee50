"""The shared ending of a job runner's ``main``: its exit code, or a ModelyardError's message and exit code 2."""

from __future__ import annotations

import sys
from typing import Any, Callable


# optional packages a job may need, and the extra of modelyard that installs each
EXTRAS = {"fairlearn": "explain", "shap": "explain", "ray": "ray", "s3fs": "s3", "psycopg": "postgres"}


def exit_with(run: Callable[..., int], *args: Any) -> None:
    try:
        sys.exit(run(*args))
    except ModuleNotFoundError as error:
        package = (error.name or "").split(".")[0]
        if package not in EXTRAS:
            raise
        print(f"error: this job needs {package}, which the Python environment of its compute lacks; install it "
              f"with: pip install 'modelyard[{EXTRAS[package]}]'", file=sys.stderr, flush=True)
        sys.exit(2)
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
