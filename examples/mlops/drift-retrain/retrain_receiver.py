"""A webhook receiver that retrains on drift: on a signed ``modelyard.monitor.drift_detected`` event it submits
the training job (``../../train/job.yml`` by default) to the workspace.

    MODELYARD_WORKSPACE=~/attrition python retrain_receiver.py --port 8765 --secret "$SECRET"
    modelyard webhook create --name retrain --url http://127.0.0.1:8765/ --events monitor.drift_detected \
        --secret "$SECRET"

Each delivery's signature and timestamp are checked (a replayed or forged request is refused with 401). A
monitor run retrains once: its other drifting signals and redeliveries (deliveries are at least once) are
acknowledged and ignored.
"""

from __future__ import annotations

import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from modelyard import Workspace
from modelyard.spec.webhook import verify_signature

DRIFT = "modelyard.monitor.drift_detected"
TRAIN_JOB = Path(__file__).resolve().parents[2] / "train" / "job.yml"


class Retrainer:
    def __init__(self, secret: str, job: Path, compute: str | None) -> None:
        self.secret, self.job, self.compute = secret, job, compute
        self.seen: set[str] = set()
        self.lock = threading.Lock()
        self.ws = Workspace.from_config()

    def handle(self, body: bytes, headers) -> int:
        """The HTTP status to answer a delivery with."""
        if not verify_signature(self.secret, body, headers.get("X-Modelyard-Timestamp", ""),
                                headers.get("X-Modelyard-Signature", "")):
            return 401
        event = json.loads(body)
        if event["type"] != DRIFT:
            return 202
        data = event["data"]
        run = f"{data['monitor']}/{data['job']}"
        with self.lock:  # one retraining per monitor run, however many of its signals drifted or were redelivered
            if run in self.seen:
                return 200
            self.seen.add(run)
        job = self.ws.jobs.create(self.job, compute=self.compute, tags={"retrained_for": run})
        print(f"drift on {', '.join(data['features'])} (monitor {data['monitor']}, run {data['job']}): "
              f"retraining job {job.name} submitted", flush=True)
        return 202


def serve(port: int, retrainer: Retrainer) -> None:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(retrainer.handle(body, self.headers))
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"listening on http://127.0.0.1:{server.server_port}/", flush=True)
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765, help="0: any free port (printed)")
    parser.add_argument("--secret", required=True, help="the webhook's secret")
    parser.add_argument("--job", type=Path, default=TRAIN_JOB, help="the training job's YAML")
    parser.add_argument("--compute", help="run the training job there instead of its own compute")
    args = parser.parse_args()
    serve(args.port, Retrainer(args.secret, args.job, args.compute))


if __name__ == "__main__":
    main()
