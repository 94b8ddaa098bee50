"""One step of a submitted Designer draft: run one built-in module on its input ports and write each
output port as a folder (``modelyard.designer.write_port``), which the job's finalizing stores in the
artifact store. A port fed by a dataset node reads the registered asset with its stored schema."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

from modelyard.errors import ModelyardError


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    pairs = {}
    for value in values or []:
        port, sep, where = value.partition("=")
        if not sep:
            raise SystemExit(f"{option} {value!r}: write PORT=VALUE")
        pairs[port] = where
    return pairs


def _readable(port_type: str, folder: str, copy: Path) -> str:
    """The folder of an input port, as a folder of real files for an MLflow model: the job links its
    inputs' files, and MLflow refuses a model whose files resolve outside its folder."""
    if port_type != "ModelDirectory":
        return folder
    shutil.copytree(folder, copy, symlinks=False)
    return str(copy)


def _read_input(port_type: str, folder: str, copy: Path):
    """An input port's value: an upstream port's folder, or (a YAML step's data input) files read as a table."""
    from modelyard.designer import read_port

    if port_type == "DataFrameDirectory" and not (Path(folder) / "schema.json").exists():
        from modelyard.runtime._automl import load_table

        return load_table(None, "", folder)
    return read_port(port_type, _readable(port_type, folder, copy))


def _log_metrics(metrics: list[tuple[str, float, int]], run_id: str | None, context) -> None:
    """Into the step's MLflow run: the worker's own client for its context, else the job's environment's."""
    if not metrics or not run_id:
        return
    from mlflow.entities import Metric

    if context is None:
        from mlflow import MlflowClient

        client = MlflowClient()
    else:
        from modelyard.services._tracking import tracking_client

        client = tracking_client(context.location)
    now = int(time.time() * 1000)
    client.log_batch(run_id, metrics=[Metric(name, value, now, step) for name, value, step in metrics])


@contextmanager
def _workspace(context):
    """``context``, else the workspace's own, opened for the block."""
    if context is not None:
        yield context
        return
    from modelyard.services import ServiceContext, workspace as workspaces

    opened = ServiceContext.open(workspaces.find())
    try:
        yield opened
    finally:
        opened.close()


def run_step(module_id: str, parameters: dict, inputs: dict[str, str], datasets: dict[str, str],
             outputs: dict[str, str], context=None, run_id: str | None = None) -> None:
    from modelyard.designer import get_module, run_module, step_metrics, write_port

    module = get_module(module_id)
    spec = module.spec
    with tempfile.TemporaryDirectory(prefix="designer-inputs-") as copies:
        values = {port.name: _read_input(port.type, inputs[port.name], Path(copies) / port.name)
                  for port in spec.inputs if port.name in inputs}
    with _workspace(context) if datasets or module.storage else nullcontext(context) as context:
        if datasets:
            from modelyard.runtime._automl import load_table

            values.update({port: load_table(context, asset, "") for port, asset in datasets.items()})
        storage = None
        if module.storage:
            from modelyard.services.datastore_files import DatastoreFiles

            storage = DatastoreFiles(context)
        started = time.perf_counter()
        results = run_module(module_id, values, parameters, storage)
        seconds = time.perf_counter() - started
        for port in spec.outputs:
            target = Path(outputs[port.name])
            if target.is_dir() and not any(target.iterdir()):
                target.rmdir()  # the job made the output folder; the port is written whole in its place
            write_port(results[port.name], port.type, target)
            print(f"wrote {port.display_name} ({port.type}) of {spec.display_name}", flush=True)
        for uri, size in storage.written if storage else ():
            print(f"wrote {uri} ({size} bytes) with {spec.display_name}", flush=True)
        _log_metrics(step_metrics(module_id, values, results, seconds), run_id, context)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m modelyard.runtime.designer_runner")
    parser.add_argument("--module", required=True)
    parser.add_argument("--parameters", default="{}", help="JSON object: parameter name -> value")
    parser.add_argument("--input", action="append", help="PORT=FOLDER of an upstream output port")
    parser.add_argument("--dataset", action="append", help="PORT=data:NAME:VERSION of a registered asset")
    parser.add_argument("--output", action="append", help="PORT=FOLDER to write")
    return parser


def run_arguments(argv: list[str], context=None, run_id: str | None = None) -> int:
    """Run the step the runner's arguments describe, logging its metrics into MLflow run ``run_id`` (by
    default the job's, from its environment); its exit code (2: the module refused its input)."""
    args = _parser().parse_args(argv)
    try:
        run_step(args.module, json.loads(args.parameters), _pairs(args.input, "--input"),
                 _pairs(args.dataset, "--dataset"), _pairs(args.output, "--output"), context,
                 run_id or os.environ.get("MLFLOW_RUN_ID"))
    except ModelyardError as error:
        print(f"error: {error.message}", file=sys.stderr, flush=True)
        return 2
    return 0


def main() -> None:
    sys.exit(run_arguments(sys.argv[1:]))
