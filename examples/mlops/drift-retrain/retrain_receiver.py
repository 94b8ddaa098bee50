"""A webhook receiver that closes the drift loop: on a signed ``modelyard.monitor.drift_detected`` event it
submits the retraining job (``retrain.yml``), and once that completed it hands the job to the release gate of
``../release.py``: the retrained model is registered as the challenger, compared with the champion on held-out
data (``modelyard model compare``) and, when it is not worse, deployed blue/green with rollback.

    MODELYARD_WORKSPACE=~/attrition python retrain_receiver.py --port 8765 --secret "$SECRET" \
        --holdout attrition-holdout
    modelyard webhook create --name retrain --url http://127.0.0.1:8765/ --events monitor.drift_detected \
        --secret "$SECRET"

Each delivery's signature and timestamp are checked (a replayed or forged request is refused with 401). A
monitor run retrains once: its other drifting signals and redeliveries (deliveries are at least once) are
acknowledged and ignored. The release's log and its outcome are printed (``release of JOB: ...``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from modelyard import Workspace
from modelyard.spec.webhook import verify_signature

DRIFT = "modelyard.monitor.drift_detected"
HERE = Path(__file__).resolve().parent
RELEASE = HERE.parent / "release.py"
OUTCOMES = {0: "released", 1: "the champion stays (the challenger is not better)", 2: "rolled back",
            3: "failed to register"}


class Retrainer:
    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.seen: set[str] = set()
        self.lock = threading.Lock()
        self.ws = Workspace.from_config()

    def handle(self, body: bytes, headers) -> int:
        """The HTTP status to answer a delivery with."""
        if not verify_signature(self.options.secret, body, headers.get("X-Modelyard-Timestamp", ""),
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
        job = self.ws.jobs.create(self.options.job, compute=self.options.compute, tags={"retrained_for": run})
        print(f"drift on {', '.join(data['features'])} (monitor {data['monitor']}, run {data['job']}): "
              f"retraining job {job.name} submitted", flush=True)
        threading.Thread(target=self.release, args=(job.name, run), daemon=True).start()
        return 202

    def release(self, job: str, run: str) -> None:
        """Once ``job`` completed: ``release.py --trained-job JOB`` (gate, blue/green deployment, champion alias)."""
        done = self.ws.jobs.wait(job)
        if done.status != "Completed":
            print(f"release of {job}: not started, the retraining job ended {done.status}", flush=True)
            return
        options = self.options
        command = [sys.executable, str(RELEASE), "--trained-job", job, "--model", options.model,
                   "--endpoint", options.endpoint, "--holdout", options.holdout, "--metric", options.metric,
                   "--min-gain", str(options.min_gain), "--deployment", str(options.deployment),
                   "--reason", f"retrained for drift ({run})"]
        cli = {"MODELYARD_CLI": f"{sys.executable} -m modelyard", **os.environ}  # this Python's modelyard
        code = subprocess.run(command, stderr=subprocess.STDOUT, env=cli).returncode
        print(f"release of {job}: {OUTCOMES.get(code, f'exit {code}')}", flush=True)


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
    parser.add_argument("--job", type=Path, default=HERE / "retrain.yml", help="the retraining job's YAML")
    parser.add_argument("--compute", help="run the retraining job there instead of its own compute")
    parser.add_argument("--model", default="attrition-model", help="the registered model whose champion is challenged")
    parser.add_argument("--endpoint", default="ibm-attrition-aks", help="the online endpoint to redeploy")
    parser.add_argument("--holdout", required=True, help="labelled data both models are scored on, NAME[:VERSION]")
    parser.add_argument("--metric", default="AUC_weighted")
    parser.add_argument("--min-gain", type=float, default=0.0)
    parser.add_argument("--deployment", type=Path, default=HERE / "collect.yml",
                        help="the new deployment's YAML (collect.yml: it keeps collecting)")
    args = parser.parse_args()
    serve(args.port, Retrainer(args))


if __name__ == "__main__":
    main()
