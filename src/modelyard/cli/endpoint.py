from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from modelyard.cli._common import OUTPUT, spec_fields, workspace
from modelyard.cli._deployments import (
    CREATE_ENDPOINT, ENDPOINT, FILE, NAME, NAME_OPTION, add_shared_commands, create_fields, one_name,
)
from modelyard.cli._output import Format, emit, table

app = typer.Typer(help="Real-time endpoints: create, invoke, keys, traffic.", no_args_is_help=True)
deployment_app = typer.Typer(help="Deployments of a model behind an online endpoint.", no_args_is_help=True)


def _rows(endpoint) -> list[dict]:
    return [{"deployment": d.name, "model": f"{d.model}:{d.model_version}", "traffic %": endpoint.traffic.get(d.name, 0),
             "state": d.state, "instances": ", ".join(i.state for i in d.instances) or "-"} for d in endpoint.deployments]


@app.command("create")
def create(file: Path = typer.Option(None, "--file", "-f"), name: str = typer.Option(None),
           auth_mode: str = typer.Option(None, help="key (default), token or none"), output: Format = OUTPUT) -> None:
    fields = spec_fields(file, name=name, auth_mode=auth_mode)
    with workspace() as ws:
        emit(ws.online_endpoints.create(fields), output)


@app.command("list")
def list_(output: Format = OUTPUT) -> None:
    with workspace() as ws:
        endpoints = ws.online_endpoints.list()
    emit([{"name": e.name, "auth_mode": e.auth_mode, "traffic": e.traffic, "scoring_uri": e.scoring_uri}
          for e in endpoints] if output is Format.table else endpoints, output)


@app.command("show")
def show(name: str, output: Format = OUTPUT) -> None:
    with workspace() as ws:
        endpoint = ws.online_endpoints.get(name)
        url = ws._api.http.base_url
    if output is not Format.table:
        emit(endpoint, output)
        return
    table([{"field": "scoring uri", "value": f"{str(url).rstrip('/')}{endpoint.scoring_uri}"},
           {"field": "auth mode", "value": endpoint.auth_mode}, {"field": "traffic", "value": endpoint.traffic}],
          ["field", "value"], f"endpoint {name}")
    if endpoint.deployments:
        table(_rows(endpoint), ["deployment", "model", "traffic %", "state", "instances"], "deployments")


@app.command("update")
def update(name: str, traffic: str = typer.Option(None, help="blue=90,green=10"),
           mirror_traffic: str = typer.Option(None, help="green=10"), output: Format = OUTPUT) -> None:
    from modelyard.errors import InvalidInput

    def weights(text: str) -> dict[str, int]:
        try:
            return {k.strip(): int(v) for k, v in (part.split("=", 1) for part in text.split(",") if part.strip())}
        except ValueError:
            raise InvalidInput(f"weights are written name=percent,name=percent; got {text!r}") from None

    change = {}
    if traffic is not None:
        change["traffic"] = weights(traffic)
    if mirror_traffic is not None:
        change["mirror_traffic"] = weights(mirror_traffic)
    with workspace() as ws:
        emit(ws.online_endpoints.update(name, **change), output)


@app.command("delete")
def delete(name: str) -> None:
    with workspace() as ws:
        ws.online_endpoints.delete(name)
    print(f"deleted online endpoint '{name}'")


@app.command("get-credentials")
def get_credentials(name: str, output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.online_endpoints.get_credentials(name), output)


@app.command("regenerate-keys")
def regenerate_keys(name: str, key_type: str = typer.Option("primary", help="primary or secondary"),
                    output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.online_endpoints.regenerate_keys(name, key_type), output)


@app.command("invoke")
def invoke(name: str, request_file: Path = typer.Option(..., "--request-file", "-r", help="JSON body"),
           deployment_name: str = typer.Option(None, "--deployment-name"),
           proba: bool = typer.Option(False, "--proba", help="class probabilities instead of labels"),
           explain: str = typer.Option(None, "--explain", metavar="TOP",
                                       help="each row's TOP largest contributions too (a count, or all); the "
                                            "deployment must have been deployed with --explain")) -> None:
    """Score a request file, as a client with the endpoint's key would."""
    from modelyard.errors import InvalidInput

    try:
        body = json.loads(request_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidInput(f"{request_file}: {error}") from None
    with workspace() as ws:
        print(json.dumps(ws.online_endpoints.invoke(name, body, deployment_name, proba, explain=explain)))


EXPLAIN_OPTION = typer.Option(None, "--explain/--no-explain",
                              help="let requests ask for their rows' contributions (\"explain\": true; tree models)")


@deployment_app.command("create")
def deployment_create(file: Path = FILE, name: str = NAME_OPTION, endpoint_name: str = CREATE_ENDPOINT,
                      model: str = typer.Option(None), instance_count: int = typer.Option(None),
                      all_traffic: bool = typer.Option(
                          False, "--all-traffic", help="send all traffic to this deployment once it is ready"),
                      explain: bool = EXPLAIN_OPTION, output: Format = OUTPUT) -> None:
    """Create an online deployment and wait until it serves (one of that name already there is an error)."""
    fields = create_fields(file, name=name, endpoint_name=endpoint_name, model=model, instance_count=instance_count,
                           explain=explain)
    with workspace() as ws:
        print(f"deploying {fields.get('model')} as {fields.get('endpoint_name')}/{fields.get('name')} ...",
              file=sys.stderr)
        deployment = ws.online_deployments.create(fields)
        if all_traffic:
            ws.online_endpoints.update(deployment.endpoint_name, traffic={deployment.name: 100})
        emit(deployment, output)


@deployment_app.command("update")
def deployment_update(name: str = NAME, name_option: str = NAME_OPTION, endpoint_name: str = ENDPOINT,
                      file: Path = typer.Option(None, "--file", "-f", help="YAML with the fields to change (model, "
                                                "instance_count, request_settings, data_collector)"),
                      model: str = typer.Option(None), instance_count: int = typer.Option(None),
                      explain: bool = EXPLAIN_OPTION, output: Format = OUTPUT) -> None:
    """Change the deployment's model, instance count, request settings, data collector or explanations and wait
    until it serves again."""
    from modelyard.spec.endpoint import OnlineDeploymentUpdate

    fields = spec_fields(file, model=model, instance_count=instance_count, explain=explain)
    change = {k: v for k, v in fields.items() if k in OnlineDeploymentUpdate.model_fields}
    with workspace() as ws:
        emit(ws.online_deployments.update(one_name(name, name_option), endpoint_name, **change), output)


add_shared_commands(deployment_app, lambda ws: ws.online_deployments, "online endpoint",
                    ["name", "model", "state", "instance_count", "instances"],
                    lambda deployments: [{"name": d.name, "model": f"{d.model}:{d.model_version}", "state": d.state,
                                          "instance_count": d.instance_count,
                                          "instances": ", ".join(i.state for i in d.instances) or "-"}
                                         for d in deployments])


@deployment_app.command("get-logs")
def deployment_logs(name: str = NAME, name_option: str = NAME_OPTION, endpoint_name: str = ENDPOINT,
                    lines: int = typer.Option(200)) -> None:
    with workspace() as ws:
        print(ws.online_deployments.get_logs(one_name(name, name_option), endpoint_name, lines))
