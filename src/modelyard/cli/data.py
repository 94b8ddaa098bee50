from __future__ import annotations

from pathlib import Path

import typer

from modelyard.cli._common import OUTPUT, spec_fields, workspace
from modelyard.cli._output import Format, emit

app = typer.Typer(help="Versioned datasets (data assets): register, preview, profile, consume.", no_args_is_help=True)
COLUMNS = ["name", "version", "type", "rows", "size_bytes", "created_at", "path"]
COLLECTED_COLUMNS = ["name", "rows", "first_timestamp", "last_timestamp", "files", "path"]
COLLECTIONS = ("-model_inputs", "-model_outputs")


@app.command("create")
def create(file: Path = typer.Option(None, "--file", "-f", help="data asset YAML"),
           name: str = typer.Option(None), path: str = typer.Option(None, help="file, folder, glob, URL or datastore path"),
           type: str = typer.Option(None, help="uri_file, uri_folder or mltable"),
           version: int = typer.Option(None, help="explicit version (default: next)"),
           description: str = typer.Option(None),
           datastore: str = typer.Option(None, help="sql datastore to query"),
           query: str = typer.Option(None, help="SELECT statement for a sql datastore"),
           delimiter: str = typer.Option(None), encoding: str = typer.Option(None),
           header: str = typer.Option(None, help="all_files_same_headers, only_first_file_has_headers, no_headers"),
           skip_rows: int = typer.Option(None),
           no_profile: bool = typer.Option(False, "--no-profile", help="skip profiling at registration"),
           force: bool = typer.Option(False, "--force", help="a new version even when the content is unchanged"),
           output: Format = OUTPUT) -> None:
    """Register a new version of a data asset."""
    from modelyard.spec.data import DataAssetCreate
    from modelyard.spec._common import validate_spec

    fields = spec_fields(file, "path", name=name, path=path, type=type, version=version, description=description,
                         datastore=datastore, query=query)
    parse = {k: v for k, v in dict(delimiter=delimiter, encoding=encoding, header=header, skip_rows=skip_rows).items()
             if v is not None}
    if parse:
        fields["parse"] = {**fields.get("parse", {}), **parse}
    if no_profile:
        fields["profile"] = False
    if force:
        fields["force_new_version"] = True
    spec = validate_spec(DataAssetCreate, fields, f"data asset {file or ''}".strip())
    with workspace() as ws:
        asset = ws.data.create(spec)
    _emit_asset(asset.record, output)


def _emit_asset(record, output: Format) -> None:
    if output is not Format.table:
        emit(record, output)
        return
    from modelyard.cli._data_view import print_asset

    print_asset(record)


@app.command("list")
def list_(name: str = typer.Option(None, help="list every version of this asset"),
          archived: bool = typer.Option(False, "--include-archived"), output: Format = OUTPUT) -> None:
    """List data assets (latest versions), or every version of one; in a table also what online deployments
    collected (read as azureml:<endpoint>-<deployment>-model_inputs@latest)."""
    with workspace() as ws:
        emit(ws.data.list(name, archived), output, COLUMNS)
        collected = ws.data.list_collected() if output is Format.table and not name else []
    if collected:
        emit(collected, output, COLLECTED_COLUMNS, title="collected at online endpoints")


@app.command("show")
def show(ref: str = typer.Argument(..., metavar="NAME[:VERSION]"),
         consume: bool = typer.Option(False, "--consume", help="print a ready-to-paste Python snippet"),
         output: Format = OUTPUT) -> None:
    """Show one version (default: latest) of a data asset, or what a deployment collected
    (<endpoint>-<deployment>-model_inputs or model_outputs: its rows and time range)."""
    from modelyard.errors import NotFound

    collected = ref.removesuffix("@latest").endswith(COLLECTIONS)
    with workspace() as ws:
        try:
            asset = ws.data.get(ref.removeprefix("azureml:") if collected else ref)
        except NotFound:
            if not collected:
                raise
            emit(ws.data.get_collected(ref), output)
            return
    if consume:
        print(consume_snippet(asset.record))
        return
    _emit_asset(asset.record, output)


def consume_snippet(record) -> str:
    loader = (".to_pandas()" if record.type == "mltable" else ".path")
    return (
        "from modelyard import Workspace\n\n"
        "ws = Workspace.from_config()\n"
        f'data = ws.data.get("{record.name}", version={record.version})\n'
        f"{'df' if record.type == 'mltable' else 'path'} = data{loader}\n"
    )


@app.command("preview")
def preview(ref: str = typer.Argument(..., metavar="NAME[:VERSION]"), rows: int = typer.Option(20, "--rows"),
            output: Format = OUTPUT) -> None:
    """Show the first rows of a tabular data asset, with the schema's types."""
    with workspace() as ws:
        result = ws.data.get(ref).preview(rows)
    if output is not Format.table:
        emit(result, output)
        return
    from modelyard.cli._data_view import print_preview

    print_preview(result)


@app.command("profile")
def profile(ref: str = typer.Argument(..., metavar="NAME[:VERSION]"),
            recompute: bool = typer.Option(False, "--recompute", help="compute again even if stored"),
            output: Format = OUTPUT) -> None:
    """Print the data profile (computed now if the version has none)."""
    from modelyard.cli._profile_view import print_profile

    with workspace() as ws:
        result = ws.data.get(ref).profile(recompute=recompute)
    if output is not Format.table:
        emit(result, output)
        return
    print_profile(result)


@app.command("download")
def download(ref: str = typer.Argument(..., metavar="NAME[:VERSION]"),
             target: Path = typer.Option(Path("."), "--download-path", "-p")) -> None:
    """Copy a version's files into a folder."""
    with workspace() as ws:
        where = ws.data.get(ref).download(target)
    print(f"downloaded to {where}")


@app.command("update")
def update(ref: str = typer.Argument(..., metavar="NAME:VERSION"), description: str = typer.Option(None),
           tag: list[str] = typer.Option(None, "--tag", help="key=value, repeatable; replaces the tags"),
           output: Format = OUTPUT) -> None:
    """Change a version's description or tags (its data never changes)."""
    from modelyard.errors import InvalidInput

    change = {}
    if description is not None:
        change["description"] = description
    if tag:
        if any("=" not in t for t in tag):
            raise InvalidInput("tags are written key=value")
        change["tags"] = dict(t.split("=", 1) for t in tag)
    with workspace() as ws:
        asset = ws.data.get(ref)
        emit(ws.data.update(asset.name, asset.version, **change), output)


@app.command("archive")
def archive(ref: str = typer.Argument(..., metavar="NAME:VERSION")) -> None:
    """Hide a version from listings and '@latest' (it stays readable by number)."""
    with workspace() as ws:
        asset = ws.data.get(ref)
        ws.data.archive(asset.name, asset.version)
    print(f"archived {asset.name}:{asset.version}")


@app.command("restore")
def restore(ref: str = typer.Argument(..., metavar="NAME:VERSION")) -> None:
    with workspace() as ws:
        asset = ws.data.get(ref)
        ws.data.restore(asset.name, asset.version)
    print(f"restored {asset.name}:{asset.version}")
