"""The v1 CLI verbs the workshop's Azure DevOps pipelines call, with ``az ml`` replaced by ``modelyard``:
``run submit-script``, ``model register`` and ``model deploy``, same flags, same files.

They go through the v1 shim (``modelyard.azureml``), which maps them onto the v2 nouns: a command job, a
model version, an online endpoint with one deployment. Flags and file fields with no local effect are
warned about, named; unknown file fields are refused.
"""

from __future__ import annotations

import json
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from modelyard.cli._common import workspace
from modelyard.spec.job_status import JobStatus

run_app = typer.Typer(help="Azure ML v1 runs: submit-script (as `az ml run`).", no_args_is_help=True)
CLOUD_ONLY = {"workspace_name": "--workspace-name", "resource_group": "--resource-group",
              "subscription_id": "--subscription-id"}
WORKSPACE_NAME = typer.Option(None, "--workspace-name", "-w", help="accepted for az ml; the workspace is the local "
                                                                     "one (or the server at MODELYARD_URL)")
RESOURCE_GROUP = typer.Option(None, "--resource-group", "-g", help="accepted for az ml; not used")
SUBSCRIPTION_ID = typer.Option(None, "--subscription-id", help="accepted for az ml; not used")


@contextmanager
def v1_workspace(**cloud: Any):
    """The v1 shim's Workspace over the command's SDK workspace; the shim's V1ArgumentWarnings (and the cloud-only
    flags given) printed as ``warning:`` lines on stderr."""
    from modelyard.azureml import V1ArgumentWarning
    from modelyard.azureml.core import Workspace

    with warnings.catch_warnings(record=True) as caught, workspace() as sdk:
        warnings.simplefilter("always", V1ArgumentWarning)
        try:
            for key, value in cloud.items():
                if value:
                    print(f"warning: {CLOUD_ONLY[key]} {value} is not honoured locally; the workspace is "
                          f"{sdk.info().name!r}", file=sys.stderr)
            yield Workspace(sdk=sdk)
        finally:
            for warning in caught:
                if issubclass(warning.category, V1ArgumentWarning):
                    print(f"warning: {warning.message}", file=sys.stderr)


def write_metadata(path: Path | None, document: dict[str, Any]) -> None:
    """v1's ``-t`` output metadata file (``run.json``, ``model.json``), which the next pipeline step reads."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def read_metadata(path: Path, *keys: str) -> dict[str, Any]:
    from modelyard.errors import InvalidInput

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidInput(f"{path}: {error}") from None
    missing = [key for key in keys if not document.get(key)]
    if missing:
        raise InvalidInput(f"{path} has no {', '.join(missing)}; it is written by `-t` of the step before "
                           "(run submit-script -t run.json, model register -t model.json)")
    return document


@run_app.command("submit-script", context_settings={"allow_interspersed_args": False,
                                                    "ignore_unknown_options": True})
def submit_script(script: list[str] = typer.Argument(None, metavar="SCRIPT [ARGUMENTS]...",
                                                     help="the script and its arguments (default: the runconfig's)"),
                  experiment_name: str = typer.Option(..., "--experiment-name", "-e"),
                  run_configuration_name: str = typer.Option(
                      None, "--run-configuration-name", "-c", help="NAME of .azureml/NAME.runconfig under --path"),
                  compute_target: str = typer.Option(None, "--ct", "--compute-target"),
                  output_metadata_file: Path = typer.Option(None, "--output-metadata-file", "-t",
                                                            help="run.json: the run's id and experiment"),
                  path: Path = typer.Option(Path("."), "--path", help="the project folder"),
                  source_directory: Path = typer.Option(None, "--source-directory",
                                                        help="the code to snapshot (default: --path)"),
                  conda_dependencies: str = typer.Option(None, "--conda-dependencies", "-d",
                                                         help="overrides the runconfig's conda file"),
                  run_async: bool = typer.Option(False, "--async", help="do not wait for the run to end"),
                  workspace_name: str = WORKSPACE_NAME, resource_group: str = RESOURCE_GROUP,
                  subscription_id: str = SUBSCRIPTION_ID) -> None:
    """Submit a script as a run (a command job), as `az ml run submit-script`; exits 1 unless it completes."""
    from modelyard.azureml._cli_files import script_run
    from modelyard.azureml.core import Experiment

    with v1_workspace(workspace_name=workspace_name, resource_group=resource_group,
                      subscription_id=subscription_id) as ws:
        config = script_run(path.resolve(), run_configuration_name, list(script or []), compute_target,
                            conda_dependencies)
        if source_directory is not None:
            config.source_directory = source_directory.resolve()
        run = Experiment(ws, experiment_name).submit(config)
        print(f"submitted run {run.id} to experiment {experiment_name}", file=sys.stderr)
        write_metadata(output_metadata_file, {"runId": run.id, "experimentName": experiment_name,
                                              "target": config.target or "local"})
        if run_async:
            return
        job = ws.sdk.jobs.stream(run.id)
    print(f"run {run.id}: {job.status}")
    if job.status != JobStatus.COMPLETED:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """``model register`` and ``model deploy`` on the model command group."""

    @app.command("register")
    def register_(name: str = typer.Option(..., "--name", "-n"),
                  asset_path: str = typer.Option(None, "--asset-path", help="the model's path among the run's files"),
                  run_metadata_file: Path = typer.Option(None, "--run-metadata-file", "-f",
                                                         help="run.json from run submit-script -t"),
                  run_id: str = typer.Option(None, "--run-id", "-r"),
                  experiment_name: str = typer.Option(None, "--experiment-name"),
                  model_path: str = typer.Option(None, "--model-path", "-p", help="a local model file or folder"),
                  output_metadata_file: Path = typer.Option(None, "--output-metadata-file", "-t",
                                                            help="model.json: the model's id, for model deploy -f"),
                  description: str = typer.Option(None, "--description", "-d"),
                  tag: list[str] = typer.Option(None, "--tag", help="key=value, repeatable"),
                  property_: list[str] = typer.Option(None, "--property", help="key=value, repeatable"),
                  model_framework: str = typer.Option(None, "--model-framework"),
                  model_framework_version: str = typer.Option(None, "--model-framework-version"),
                  workspace_name: str = WORKSPACE_NAME, resource_group: str = RESOURCE_GROUP,
                  subscription_id: str = SUBSCRIPTION_ID) -> None:
        """Register a run's file (-f run.json --asset-path ...) or a local file, as `az ml model register`."""
        from modelyard.azureml.core import Experiment, Model
        from modelyard.azureml.core._run import Run
        from modelyard.errors import InvalidInput

        if run_metadata_file is not None:
            document = read_metadata(run_metadata_file, "runId", "experimentName")
            run_id, experiment_name = document["runId"], document["experimentName"]
        if (run_id is None) == (model_path is None):
            raise InvalidInput("say what to register: a run's file (-f run.json or --run-id, with --asset-path) or a "
                               "local file (--model-path), one of them")
        options = {"tags": _pairs(tag, "--tag"), "properties": _pairs(property_, "--property"),
                   "description": description, "model_framework": model_framework,
                   "model_framework_version": model_framework_version}
        with v1_workspace(workspace_name=workspace_name, resource_group=resource_group,
                          subscription_id=subscription_id) as ws:
            if run_id is not None:
                if not asset_path:
                    raise InvalidInput("--asset-path: name the model's file among the run's files, e.g. "
                                       "outputs/model.pkl")
                model = Run(Experiment(ws, experiment_name or "Default"), job=run_id).register_model(
                    name, model_path=asset_path, **options)
            else:
                model = Model.register(ws, model_path=model_path, model_name=name, **options)
            write_metadata(output_metadata_file, {"modelId": model.id, "modelName": model.name,
                                                  "modelVersion": model.version, "workspaceName": ws.name})
        print(f"registered model {model.id}")

    @app.command("deploy")
    def deploy(name: str = typer.Option(..., "--name", "-n", help="the web service (an online endpoint)"),
               model: list[str] = typer.Option(None, "--model", "-m", help="NAME:VERSION, repeatable"),
               model_metadata_file: Path = typer.Option(None, "--model-metadata-file", "-f",
                                                        help="model.json from model register -t"),
               inference_config_file: Path = typer.Option(None, "--ic", "--inference-config-file"),
               deploy_config_file: Path = typer.Option(None, "--dc", "--deploy-config-file"),
               compute_target: str = typer.Option(None, "--ct", "--compute-target"),
               overwrite: bool = typer.Option(False, "--overwrite", help="replace a service of that name"),
               no_wait: bool = typer.Option(False, "--no-wait"),
               workspace_name: str = WORKSPACE_NAME, resource_group: str = RESOURCE_GROUP,
               subscription_id: str = SUBSCRIPTION_ID) -> None:
        """Deploy model versions as a web service, as `az ml model deploy`; exits 1 unless it becomes healthy."""
        from modelyard.azureml._cli_files import deployment_config, inference_config
        from modelyard.azureml.core import Model
        from modelyard.errors import InvalidInput

        ids = list(model or [])
        if model_metadata_file is not None:
            ids.append(read_metadata(model_metadata_file, "modelId")["modelId"])
        if not ids:
            raise InvalidInput("name the model to deploy: -m NAME:VERSION or -f model.json")
        with v1_workspace(workspace_name=workspace_name, resource_group=resource_group,
                          subscription_id=subscription_id) as ws:
            service = Model.deploy(ws, name, [Model(ws, id=i) for i in ids],
                                   inference_config(inference_config_file) if inference_config_file else None,
                                   deployment_config(deploy_config_file) if deploy_config_file else None,
                                   deployment_target=compute_target, overwrite=overwrite)
            if not no_wait:
                service.wait_for_deployment(show_output=True)
            print(f"scoring uri: {service.scoring_uri}")


def _pairs(items: list[str] | None, flag: str) -> dict[str, str]:
    from modelyard.errors import InvalidInput

    if any("=" not in item for item in items or []):
        raise InvalidInput(f"{flag} is written key=value")
    return dict(item.split("=", 1) for item in items or [])
