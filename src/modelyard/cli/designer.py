"""``modelyard designer``: saved, versioned Designer drafts (pipeline graphs of built-in modules)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import typer

from modelyard.cli._common import OUTPUT, workspace
from modelyard.cli._output import Format, emit, table
from modelyard.spec.job_status import JobStatus

app = typer.Typer(help="Designer drafts: pipeline graphs of built-in modules, saved and versioned.",
                  no_args_is_help=True)
COLUMNS = ["name", "version", "description", "created_at"]


def _print_problems(problems: list[dict]) -> None:
    print(f"{len(problems)} problem(s) in the graph:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem['where']} [{problem['rule']}]: {problem['message']}", file=sys.stderr)


@contextmanager
def _graph_problems_listed():
    """A graph refused for broken rules prints each problem and exits 1."""
    from modelyard.errors import InvalidGraph

    try:
        yield
    except InvalidGraph as error:
        _print_problems(error.problems)
        raise typer.Exit(1) from None


@app.command("create")
def create(file: Path = typer.Option(..., "--file", "-f", help="draft YAML: name, description, graph, layout"),
           output: Format = OUTPUT) -> None:
    """Save a draft as its name's next version; a graph that breaks a rule is refused, each problem listed."""
    with workspace() as ws, _graph_problems_listed():
        draft = ws.designer_drafts.create(file)
    emit(draft, output) if output is not Format.table else print(f"saved designer draft {draft.name}:{draft.version}")


@app.command("list")
def list_(name: str = typer.Option(None, help="list every version of this draft"), output: Format = OUTPUT) -> None:
    """List drafts (latest versions), or every version of one."""
    with workspace() as ws:
        emit(ws.designer_drafts.list(name), output, COLUMNS)


@app.command("show")
def show(ref: str = typer.Argument(..., metavar="NAME[:VERSION]"), output: Format = OUTPUT) -> None:
    """Show one version (default: latest) of a draft: its nodes and edges."""
    with workspace() as ws:
        draft = ws.designer_drafts.get(ref)
    if output is not Format.table:
        emit(draft, output)
        return
    print(f"{draft.name}:{draft.version}  {draft.description or ''}")
    table([{"node": n.id, "module": n.module, "parameters": n.parameters} for n in draft.graph.nodes],
          ["node", "module", "parameters"], "nodes")
    table([e.model_dump() for e in draft.graph.edges], ["source", "source_port", "target", "target_port"], "edges")


@app.command("validate")
def validate(ref: str = typer.Argument(None, metavar="NAME[:VERSION]", help="a saved draft"),
             file: Path = typer.Option(None, "--file", "-f", help="a draft YAML, checked without saving"),
             output: Format = OUTPUT) -> None:
    """Check a draft's graph against the rules and today's datasets; exits 1 when it has problems."""
    from modelyard.client._jobs import load_document
    from modelyard.errors import InvalidInput

    if (ref is None) == (file is None):
        raise InvalidInput("name a saved draft (NAME[:VERSION]) or give a draft file with -f, not both")
    with workspace() as ws:
        graph = ws.designer_drafts.get(ref).graph if ref else load_document(file)[0].get("graph", {})
        result = ws.designer_drafts.validate(graph)
    if output is not Format.table:
        emit(result, output)
    elif result.valid:
        print("the graph is valid")
    else:
        _print_problems([p.model_dump() for p in result.problems])
    if not result.valid:
        raise typer.Exit(1)


def named_values(values: list[str] | None, option: str = "--data",
                 form: str = "NODE=NAME:VERSION (a dataset node of the draft and a data asset version)") -> dict[str, str]:
    """``["a=1", "b=x"]`` as ``{"a": "1", "b": "x"}``; the server checks and types each value."""
    from modelyard.errors import InvalidInput

    pairs = {}
    for value in values or []:
        key, sep, given = value.partition("=")
        if not sep or not key or not given:
            raise InvalidInput(f"{option} {value!r}: write {form}")
        pairs[key] = given
    return pairs


@app.command("export")
def export(ref: str = typer.Argument(..., metavar="NAME[:VERSION]"),
           output_file: Path = typer.Option(None, "--output-file", "-o", help="write the YAML here (default: stdout)")
           ) -> None:
    """The draft as an Azure-v2-style pipeline YAML (modules as components), runnable by `job create -f`."""
    import yaml

    with workspace() as ws:
        text = yaml.safe_dump(ws.designer_drafts.export(ref), sort_keys=False, allow_unicode=True)
    if output_file is None:
        print(text, end="")
    else:
        output_file.write_text(text)
        print(f"wrote designer draft {ref} to {output_file}", file=sys.stderr)


@app.command("import")
def import_(file: Path = typer.Option(..., "--file", "-f", help="a pipeline YAML of built-in modules"),
            name: str = typer.Option(None, "--name", help="the draft's name (default: the YAML's display_name)"),
            output: Format = OUTPUT) -> None:
    """Open a pipeline YAML as a draft (its next version); the graph rules apply, with each problem named."""
    with workspace() as ws, _graph_problems_listed():
        draft = ws.designer_drafts.import_document(file, name=name)
    emit(draft, output) if output is not Format.table else \
        print(f"saved designer draft {draft.name}:{draft.version} ({len(draft.graph.nodes)} nodes)")


@app.command("set-parameter")
def set_parameter(ref: str = typer.Argument(..., metavar="NAME", help="the draft (its latest version)"),
                  node: str = typer.Option(..., "--node", help="the node id"),
                  parameter: str = typer.Option(..., "--parameter", help="the module parameter (snake_case)"),
                  as_name: str = typer.Option(None, "--as", help="the pipeline parameter (default: the parameter's "
                                                                 "name)"),
                  default: str = typer.Option(None, "--default", help="default: the node's current value"),
                  output: Format = OUTPUT) -> None:
    """Azure's "set as pipeline parameter": a run (or a pipeline endpoint run) may give it another value."""
    with workspace() as ws:
        draft = ws.designer_drafts.promote_parameter(ref, node, parameter, as_name=as_name, default=default)
    emit(draft, output) if output is not Format.table else \
        print(f"saved designer draft {draft.name}:{draft.version}; pipeline parameters: {draft.graph.parameters}")


@app.command("create-inference")
def create_inference(job: str = typer.Argument(..., metavar="RUN_JOB", help="a completed training run of a draft"),
                     batch: bool = typer.Option(False, "--batch", help="a batch inference pipeline (its dataset a "
                                                "parameter of each run) instead of a real-time one"),
                     name: str = typer.Option(None, "--name", help="the new draft's name (default: "
                                              "<training draft>-real-time or -batch)"),
                     output: Format = OUTPUT) -> None:
    """Azure's "Create inference pipeline": the run's trained model and fitted transformations replace Split,
    Train and Evaluate; a real-time one gets Web Service Input and Output. Saved as a new draft version."""
    with workspace() as ws:
        draft = ws.designer_drafts.create_inference(job, batch=batch, name=name)
    emit(draft, output) if output is not Format.table else \
        print(f"saved {draft.kind} inference pipeline as designer draft {draft.name}:{draft.version}")


@app.command("register-model")
def register_model(ref: str = typer.Argument(..., metavar="NAME[:VERSION]", help="a real-time inference draft"),
                   model_name: str = typer.Option(None, "--model-name", help="default: the draft's name"),
                   output: Format = OUTPUT) -> None:
    """Register a real-time inference draft as one MLflow model (its transformations and trained model)."""
    with workspace() as ws:
        model = ws.designer_drafts.register_model(ref, model_name=model_name)
    emit(model, output) if output is not Format.table else print(f"registered model {model.name}:{model.version}")


@app.command("deploy")
def deploy(ref: str = typer.Argument(..., metavar="NAME[:VERSION]", help="a real-time inference draft"),
           endpoint: str = typer.Option(..., "--endpoint", help="the online endpoint (created when missing)"),
           deployment: str = typer.Option("default", "--deployment", help="the deployment's name"),
           model_name: str = typer.Option(None, "--model-name", help="default: the draft's name"),
           output: Format = OUTPUT) -> None:
    """Register a real-time inference draft as one model and deploy it with all of an endpoint's traffic."""
    with workspace() as ws:
        model = ws.designer_drafts.register_model(ref, model_name=model_name)
        print(f"registered model {model.name}:{model.version}", file=sys.stderr)
        served = ws.online_endpoints.deploy_model(endpoint, f"{model.name}:{model.version}", deployment)
    emit(served, output) if output is not Format.table else \
        print(f"deployed {model.name}:{model.version} to {served.name} as {deployment}: {served.scoring_uri}")


@app.command("submit")
def submit(ref: str = typer.Argument(..., metavar="NAME[:VERSION]"),
           compute: str = typer.Option(None, help="compute target of every step (default: local)"),
           experiment_name: str = typer.Option(None, help="default: the draft's name"),
           force_rerun: bool = typer.Option(False, "--force-rerun", help="reuse no step of an earlier run"),
           continue_on_step_failure: bool = typer.Option(False, "--continue-on-step-failure"),
           data: list[str] = typer.Option(None, "--data", metavar="NODE=NAME:VERSION",
                                          help="read this data asset at a dataset node for this run (repeatable)"),
           param: list[str] = typer.Option(None, "--param", metavar="NAME=VALUE",
                                           help="a pipeline parameter's value for this run (repeatable)"),
           stream: bool = typer.Option(False, "--stream", help="follow the steps' logs"),
           wait: bool = typer.Option(False, "--wait", help="wait for the end without printing logs"),
           output: Format = OUTPUT) -> None:
    """Run a draft as a pipeline job. With --stream or --wait the exit code says whether it completed."""
    with workspace() as ws:
        job = ws.designer_drafts.submit(ref, compute=compute, experiment_name=experiment_name,
                                        force_rerun=force_rerun, continue_on_step_failure=continue_on_step_failure,
                                        data=named_values(data),
                                        parameters=named_values(param, "--param", "NAME=VALUE"))
        print(f"submitted designer draft {job.display_name} as pipeline job {job.name} to experiment "
              f"{job.experiment_name}", file=sys.stderr)
        report_run(ws, job, stream, wait, output)


def report_run(ws, job, stream: bool, wait: bool, output: Format) -> None:
    """Print a started pipeline run; with ``stream`` or ``wait`` follow it first, and exit 1 unless it completed."""
    from modelyard.cli.job import follow

    if stream or wait:
        job = follow(ws, job.name, stream)
    emit(job, output) if output is not Format.table else print(job.name)
    if (stream or wait) and job.status != JobStatus.COMPLETED:
        raise typer.Exit(1)


@app.command("delete")
def delete(ref: str = typer.Argument(..., metavar="NAME:VERSION")) -> None:
    """Delete one version of a draft."""
    from modelyard.errors import InvalidInput
    from modelyard.spec._common import AssetRef

    parsed = AssetRef.parse(ref)
    if parsed.version is None:
        raise InvalidInput(f"say which version of draft {parsed.name} to delete: {parsed.name}:VERSION "
                           f"(`modelyard designer list --name {parsed.name}` lists them)")
    with workspace() as ws:
        ws.designer_drafts.delete(parsed.name, parsed.version)
    print(f"deleted designer draft {parsed.name}:{parsed.version}")
