"""``python -m modelyard.server``: what ``modelyard up --detach`` starts in the background."""

import argparse
import sys
from pathlib import Path

from modelyard.errors import ModelyardError
from modelyard.server import serve
from modelyard.services import workspace


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m modelyard.server")
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8686)
    parser.add_argument("--require-token", action="store_true")
    args = parser.parse_args()
    try:
        serve(workspace.load(Path(args.workspace)), args.host, args.port, args.require_token)
    except ModelyardError as error:
        print(f"error: {error.message}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
