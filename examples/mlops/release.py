"""The release loop of the CI/CD templates, step by step with the modelyard CLI against a workspace server.

    python examples/mlops/release.py --model attrition --endpoint attrition-ep --holdout attrition-holdout \
        --reason "nightly retrain" [--environment environment.yml] [--job train/job.yml] [--deployment deploy/deployment.yml]
    python examples/mlops/release.py ... --trained-job JOB   # steps 2-5 for a training job that already completed

The server comes from MODELYARD_URL (and MODELYARD_TOKEN when it asks for one), as in CI, or from the
workspace folder the CLI finds. Steps:

0. environment: a version of the training environment (``modelyard environment create -f --wait``); the
   job refers to it as ``azureml:attrition-train-env@latest``, and unchanged content reuses the cached build;
1. train: the training job (``modelyard job create --stream``);
2. register the challenger with the reason (``modelyard -m REASON model create``);
3. gate: ``modelyard model compare CHALLENGER MODEL@champion --data HOLDOUT --metric M --min-gain G``
   (the first release, with no champion yet, skips it);
4. deploy blue/green: the new version as the deployment the endpoint does not serve from (blue or green),
   a smoke request to it alone, 10% of the traffic, a smoke request through the endpoint, then 100%;
   any failure puts the traffic back where it was and removes the new deployment;
5. promote: the alias ``champion`` moves to the new version (with the reason); the old deployment goes.

Exit codes: 0 released, 1 the challenger is not better (nothing deployed), 2 the deployment failed and was
rolled back, 3 the environment build, training or registration failed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORSE, ROLLED_BACK, BROKEN = 1, 2, 3
CHAMPION = "champion"
CANARY_PERCENT = 10


class StepFailed(Exception):
    """A CLI step exited non-zero; its output was printed already."""


def modelyard(*args: str, reason: str | None = None) -> str:
    """``modelyard ARGS`` as the pipeline's log shows it; its standard output (also echoed)."""
    command = [*os.environ.get("MODELYARD_CLI", "modelyard").split(), *(["-m", reason] if reason else []), *args]
    print(f"$ {' '.join(command)}", flush=True)
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    print(done.stdout, end="", flush=True)
    if done.returncode != 0:
        raise StepFailed(f"{' '.join(args[:2])} exited {done.returncode}")
    return done.stdout


def as_json(*args: str, reason: str | None = None):
    return json.loads(modelyard(*args, "-o", "json", reason=reason))


def build_environment(environment: Path, reason: str) -> None:
    """A new version of the training environment, once its build is ready (exit 1 when it failed)."""
    modelyard("environment", "create", "-f", str(environment), "--wait", reason=reason)


def train(job: Path) -> str:
    """The training job's name, once it completed."""
    return modelyard("job", "create", "-f", str(job), "--stream").strip().splitlines()[-1]


def register(model: str, job: str, reason: str) -> str:
    created = as_json("model", "create", "--name", model, "--path", f"job:{job}/outputs/model", reason=reason)
    return f"{created['name']}:{created['version']}"


def champion(model: str) -> str | None:
    found = [m for m in as_json("model", "list", "--name", model) if CHAMPION in m["aliases"]]
    return f"{found[0]['name']}:{found[0]['version']}" if found else None


def endpoint_state(endpoint: str) -> dict | None:
    names = [e["name"] for e in as_json("online-endpoint", "list")]
    return as_json("online-endpoint", "show", endpoint) if endpoint in names else None


def deploy_blue_green(endpoint: str, version: str, deployment: Path, sample: Path, reason: str) -> None:
    """The new version behind ``endpoint`` with all the traffic, or the traffic as it was (StepFailed)."""
    state = endpoint_state(endpoint)
    if state is None:
        modelyard("online-endpoint", "create", "--name", endpoint, reason=reason)
        state = endpoint_state(endpoint)
    traffic = {name: percent for name, percent in state["traffic"].items() if percent}
    live = max(traffic, key=traffic.get) if traffic else None
    new = "green" if live == "blue" else "blue"
    if new in {d["name"] for d in state["deployments"]}:  # left over from an earlier release
        modelyard("online-deployment", "delete", new, "--endpoint-name", endpoint, reason=reason)
    try:
        modelyard("online-deployment", "create", "-f", str(deployment), "--name", new, "--endpoint-name", endpoint,
                  "--model", version, reason=reason)
        modelyard("online-endpoint", "invoke", endpoint, "--deployment-name", new, "--request-file", str(sample))
        if live is not None:
            modelyard("online-endpoint", "update", endpoint, "--traffic",
                      f"{live}={100 - CANARY_PERCENT},{new}={CANARY_PERCENT}", reason=reason)
            modelyard("online-endpoint", "invoke", endpoint, "--request-file", str(sample))
        modelyard("online-endpoint", "update", endpoint, "--traffic", f"{new}=100", reason=reason)
    except StepFailed:
        print(f"rolling back: the traffic goes back to {traffic or 'nowhere'}, deployment {new} is removed",
              file=sys.stderr, flush=True)
        if traffic:
            modelyard("online-endpoint", "update", endpoint, "--traffic",
                      ",".join(f"{name}={percent}" for name, percent in traffic.items()), reason=f"rollback: {reason}")
        modelyard("online-deployment", "delete", new, "--endpoint-name", endpoint, reason=f"rollback: {reason}")
        raise
    if live is not None:
        modelyard("online-deployment", "delete", live, "--endpoint-name", endpoint, reason=reason)


def release(options: argparse.Namespace) -> int:
    try:
        job = options.trained_job
        if job is None:
            build_environment(options.environment, options.reason)
            job = train(options.job)
        challenger = register(options.model, job, options.reason)
    except StepFailed as error:
        print(f"release stopped: {error}", file=sys.stderr)
        return BROKEN
    current = champion(options.model)
    if current is None:
        print(f"{options.model} has no {CHAMPION} yet: {challenger} is the first release", flush=True)
    elif current != challenger:
        try:
            modelyard("model", "compare", challenger, current, "--data", options.holdout, "--metric", options.metric,
                      "--min-gain", str(options.min_gain), *(["--target", options.target] if options.target else []))
        except StepFailed:
            print(f"release stopped: {challenger} does not beat {current}; nothing deployed", file=sys.stderr)
            return WORSE
    try:
        deploy_blue_green(options.endpoint, challenger, options.deployment, options.sample, options.reason)
    except StepFailed as error:
        print(f"release rolled back: {error}", file=sys.stderr)
        return ROLLED_BACK
    modelyard("model", "update", challenger, "--set-alias", CHAMPION, reason=options.reason)
    print(f"released {challenger} on {options.endpoint}", flush=True)
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="registered model name")
    parser.add_argument("--endpoint", required=True, help="online endpoint to release to")
    parser.add_argument("--holdout", required=True, help="held-out labelled data asset, NAME[:VERSION]")
    parser.add_argument("--reason", required=True, help="why: kept in the audit trail of every change")
    parser.add_argument("--environment", type=Path, default=HERE / "environment.yml",
                        help="the training environment's YAML (the job refers to it by name)")
    parser.add_argument("--job", type=Path, default=HERE / "train" / "job.yml")
    parser.add_argument("--trained-job", help="a completed training job whose outputs/model is the challenger "
                                              "(skips the environment and training steps)")
    parser.add_argument("--deployment", type=Path, default=HERE / "deploy" / "deployment.yml")
    parser.add_argument("--sample", type=Path, default=HERE / "deploy" / "sample-request.json")
    parser.add_argument("--metric", default="AUC_weighted")
    parser.add_argument("--min-gain", type=float, default=0.0)
    parser.add_argument("--target", default="Attrition", help="label column of the held-out data")
    sys.exit(release(parser.parse_args()))


if __name__ == "__main__":
    main()
