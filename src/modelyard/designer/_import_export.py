"""Import Data and Export Data: tables read from a datastore path, a sql datastore or a URL, and written to a
datastore path.

Both reach storage through a ``Storage`` the runner gives them (the workspace's registered datastores, and
URLs at the addresses the workspace allows);
the engine knows nothing of how datastores are registered. Neither step is ever reused: the data behind
a datastore path or a URL can change while the step's parameters stay the same, so Import Data reads its
source again on every run, and the steps after it are reused only when the table it read has the same
content (a step's reuse key holds its inputs' content hashes). Export Data writes on every run too.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Protocol

from modelyard.errors import InvalidInput

from modelyard.designer._registry import enum, module, parameter, port

CATEGORY = "Data Input and Output"
FORMATS = {"From the file extension": None, "CSV": "csv", "TSV": "tsv", "Parquet": "parquet", "JSON lines": "jsonl"}
DATASTORE, SQL, URL = "Datastore", "SQL Database", "URL via HTTP"


class Storage(Protocol):
    """The workspace's datastores, as Import Data and Export Data use them. Paths are inside the datastore."""

    def fetch(self, datastore: str, path: str, folder: Path) -> list[Path]:
        """The tabular files at ``path`` (a file, a folder or a glob), downloaded under ``folder``, in name order."""

    def query(self, datastore: str, query: str, folder: Path) -> Path:
        """The rows of read-only SELECT ``query`` on sql datastore ``datastore``, as a Parquet file under ``folder``."""

    def download(self, url: str, folder: Path) -> Path:
        """The file at http(s) ``url``, downloaded under ``folder``; InvalidInput when the workspace does not let
        its runs read from that address; ``httpx.HTTPError`` when the download fails."""

    def exists(self, datastore: str, path: str) -> bool:
        """Whether a file or folder is at ``path``."""

    def put(self, local: Path, datastore: str, path: str) -> str:
        """Write file ``local`` at ``path`` whole (never half-written); its ``modelyard://datastores/`` URI."""


def _inside(path: str) -> str:
    if not path or not path.strip("/"):
        raise InvalidInput("parameter 'Path' (path) is empty; give a file, folder or glob inside the datastore")
    if ".." in Path(path).parts:
        raise InvalidInput(f"path {path!r} climbs out of the datastore with '..'; give a path inside it")
    return path.lstrip("/")


def _download(url: str, folder: Path, storage: Storage) -> Path:
    import httpx

    if not url.startswith(("http://", "https://")):
        raise InvalidInput(f"parameter 'Data source URL' (url) {url!r} is not an http(s) URL")
    try:
        return storage.download(url, folder)
    except httpx.HTTPStatusError as error:
        answer = error.response
        raise InvalidInput(f"{url} answered {answer.status_code} {answer.reason_phrase}; check the URL") from None
    except httpx.HTTPError as error:
        raise InvalidInput(f"cannot download {url}: {error}") from None


def _read_table(files: list[Path], data_format: str, has_header: bool):
    from modelyard import data as engine
    from modelyard.spec.data import ParseSettings

    parse = ParseSettings(format=FORMATS[data_format], header="all_files_same_headers" if has_header else "no_headers")
    if parse.format is None:
        try:
            parse.format = engine.detect_format([str(f) for f in files])
        except InvalidInput as error:
            raise InvalidInput(f"{error.message.split(';')[0]}; choose its Data format") from None
    source = engine.TabularSource(tuple(str(f) for f in files), parse)
    return engine.read_arrow(source, engine.detect_schema(source).schema).to_pandas()


@module("import_data", "Import Data", CATEGORY,
        "Reads a table (CSV, TSV, Parquet or JSON lines; one file, a folder or a glob of files) from a path in a "
        "registered datastore, from a SELECT on a sql datastore, or from an http(s) URL. Read again on every run, "
        "so changed data is never missed.",
        outputs=[port("results_dataset", "Results dataset")],
        parameters=[enum("data_source", "Data source", [DATASTORE, SQL, URL]),
                    parameter("string", "datastore", "Datastore", enabled_when={"data_source": [DATASTORE, SQL]}),
                    parameter("string", "path", "Path", enabled_when={"data_source": [DATASTORE]},
                              description="a file, a folder or a glob (data/*.csv) inside the datastore"),
                    parameter("script", "database_query", "Database query", enabled_when={"data_source": [SQL]},
                              description="one read-only SELECT"),
                    parameter("string", "url", "Data source URL", enabled_when={"data_source": [URL]}),
                    enum("data_format", "Data format", list(FORMATS), enabled_when={"data_source": [DATASTORE, URL]}),
                    parameter("boolean", "has_header", "CSV or TSV has header row", True,
                              enabled_when={"data_source": [DATASTORE, URL]})],
        storage=True)
def import_data(*, data_source, datastore=None, path=None, database_query=None, url=None, data_format,
                has_header, storage: Storage):
    with tempfile.TemporaryDirectory(prefix="import-data-") as folder:
        if data_source == SQL:
            return _read_table([storage.query(datastore, database_query, Path(folder))], "Parquet", True)
        if data_source == URL:
            files = [_download(url, Path(folder), storage)]
        else:
            files = storage.fetch(datastore, _inside(path), Path(folder))
        return _read_table(files, data_format, has_header)


@module("export_data", "Export Data", CATEGORY,
        "Writes the input table to a path in a registered datastore as CSV or Parquet; an existing file is "
        "replaced only when Overwrite is set. Written on every run.",
        inputs=[port("dataset", "Dataset")],
        parameters=[parameter("string", "datastore", "Datastore"),
                    parameter("string", "path", "Path", description="the file to write, e.g. exports/scored.csv"),
                    enum("file_format", "File format", ["CSV", "Parquet"]),
                    parameter("boolean", "overwrite", "Overwrite", False)],
        storage=True)
def export_data(dataset, *, datastore, path, file_format, overwrite, storage: Storage):
    path = _inside(path)
    if not overwrite and storage.exists(datastore, path):
        raise InvalidInput(f"{path} exists already in datastore '{datastore}'; set Overwrite to replace it, or give "
                           "another path")
    with tempfile.TemporaryDirectory(prefix="export-data-") as folder:
        local = Path(folder) / Path(path).name
        if file_format == "CSV":
            dataset.to_csv(local, index=False)
        else:
            dataset.to_parquet(local, index=False)
        storage.put(local, datastore, path)
