"""Tabular sources: which files, in which format, and how DuckDB should scan them as one table."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from modelyard.errors import InvalidInput
from modelyard.spec.data import ColumnType, ParseSettings, TabularFormat

from modelyard.data import _csv
from modelyard.data._bytes import check_text, refuse_binary, with_lf_endings
from modelyard.data._duck import quote_ident, quote_literal, sql_list
from modelyard.data._encoding import locate_undecodable, read_directly, transcode_to_utf8

_FORMAT_BY_SUFFIX: dict[str, TabularFormat] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}


@dataclass(frozen=True)
class TabularSource:
    """Local files read as one table, in the given order, with the user's parse settings."""

    files: tuple[str, ...]
    parse: ParseSettings = field(default_factory=ParseSettings)


def detect_format(files: tuple[str, ...] | list[str], parse: ParseSettings | None = None) -> TabularFormat:
    """The format named by ``parse.format``, else by the files' extensions (which must agree)."""
    if parse is not None and parse.format is not None:
        return parse.format
    formats: set[TabularFormat] = set()
    for name in files:
        suffix = Path(name).suffix.lower()
        if suffix not in _FORMAT_BY_SUFFIX:
            raise InvalidInput(
                f"cannot tell the format of file '{name}' from its extension; use .csv, .tsv, .parquet or "
                ".jsonl, or set parse format: csv|tsv|parquet|jsonl"
            )
        formats.add(_FORMAT_BY_SUFFIX[suffix])
    if not formats:
        raise InvalidInput("the data source has no files")
    if len(formats) > 1:
        raise InvalidInput(f"the files mix formats {sorted(formats)}; one data asset holds one format")
    return formats.pop()


@dataclass
class ScanGroup:
    """Files read with the same options; ``template`` is DuckDB SQL with a ``{files}`` slot."""

    files: list[Path]
    template: str

    def scan(self, files: list[Path] | None = None) -> str:
        return self.template.replace("{files}", sql_list([str(path) for path in (files or self.files)]))


@dataclass
class PreparedSource:
    """A source ready for DuckDB: column names, native types where the format has them (parquet,
    typed JSON) and one SQL scan per group of files that share read options, in file order."""

    columns: list[str]
    native_types: dict[str, ColumnType]
    groups: list[ScanGroup]
    original_names: dict[str, str]  # scanned path (maybe a transcoded copy) -> user's file name
    columnar: bool = False  # reading one column again costs a fraction of reading the whole (Parquet)

    def relation(self) -> str:
        """SQL of one table over every file, in order."""
        return " UNION ALL ".join(f"SELECT * FROM {group.scan()}" for group in self.groups)

    def file_name(self, path: Path) -> str:
        return self.original_names.get(str(path), path.name)


def _check_files(paths: list[Path]) -> None:
    if not paths:
        raise InvalidInput("the data source has no files")
    for path in paths:
        if not path.is_file():
            raise InvalidInput(f"file '{path}' does not exist or is not a file")
        if path.stat().st_size == 0:
            raise InvalidInput(f"file '{path.name}' is empty (0 bytes)")


# DuckDB's default; a file with longer records gets a bound of its longest possible record, at most
# MAX_FIELD_BYTES. The reader's buffers are twice the bound, and it holds several at once (a bound
# of the file's size, 64 MiB, raised the peak of reading a 400 MB file by about 130 MB).
_DEFAULT_LINE_BYTES = 2_097_152


def _line_bound(longest_records: list[int]) -> int:
    return max(_DEFAULT_LINE_BYTES, min(max(longest_records) + 1, _csv.MAX_FIELD_BYTES))


def _csv_scan(columns: list[str], parse: ParseSettings, delimiter: str, header: bool, line_bytes: int) -> str:
    options = {
        "auto_detect": "false",
        "header": "true" if header else "false",
        "skip": str(parse.skip_rows),
        "delim": quote_literal(delimiter),
        "quote": quote_literal(parse.quote),
        "escape": quote_literal(parse.escape if parse.escape is not None else parse.quote),
        "nullstr": sql_list(parse.null_values) if parse.null_values else "[]",
        "strict_mode": "true",
        "null_padding": "false",
        "max_line_size": str(line_bytes),
        "buffer_size": str(max(32 << 20, 2 * line_bytes)),
        "columns": "{" + ", ".join(f"{quote_literal(name)}: 'VARCHAR'" for name in columns) + "}",
    }
    return "read_csv({files}, " + ", ".join(f"{key} = {value}" for key, value in options.items()) + ")"


def _checked_text(paths: list[Path], originals: dict[str, str], scratch: Path, quote: str) -> list[tuple[Path, int]]:
    """The UTF-8 files, NUL-free, each replaced by a copy with LF endings where it mixes CRLF and
    LF, with the longest record each may hold (``check_text``)."""
    checked = []
    for index, path in enumerate(paths):
        shape = check_text(path, originals[str(path)], quote)
        if shape.mixed_endings:
            copy = scratch / f"{index}-{path.stem}.lf.csv"
            with_lf_endings(path, copy)
            originals[str(copy)] = originals[str(path)]
            path = copy
        checked.append((path, shape.longest_record))
    return checked


def _prepare_csv(paths: list[Path], parse: ParseSettings, tsv: bool, scratch: Path) -> PreparedSource:
    originals = {str(path): path.name for path in paths}
    for path in paths:
        refuse_binary(path, "TSV" if tsv else "CSV", path.name)
    if not read_directly(parse.encoding):
        utf8_paths = []
        for index, path in enumerate(paths):
            copy = scratch / f"{index}-{path.stem}.utf8.csv"
            transcode_to_utf8(path, parse.encoding, copy)
            originals[str(copy)] = path.name
            utf8_paths.append(copy)
        paths = utf8_paths
        parse = parse.model_copy(update={"encoding": "utf-8"})
    checked = _checked_text(paths, originals, scratch, parse.quote)
    paths, longest = [path for path, _ in checked], dict(checked)
    delimiter = "\t" if tsv and parse.delimiter is None else parse.delimiter or _csv.sniff_delimiter(paths[0], parse)
    first = _csv.first_record(paths[0], parse, delimiter)
    _csv.check_width(originals[str(paths[0])], len(first))
    if parse.header == "no_headers":
        columns = _csv.positional_names(len(first))
        groups = [(paths, False)]
    else:
        columns = _csv.header_names(Path(originals[str(paths[0])]), first)
        if parse.header == "all_files_same_headers":
            for other in paths[1:]:
                other_name = Path(originals[str(other)])
                names = _csv.header_names(other_name, _csv.first_record(other, parse, delimiter))
                _csv.check_same_header(Path(originals[str(paths[0])]), columns, other_name, names)
            groups = [(paths, True)]
        else:
            groups = [(paths[:1], True)] + ([(paths[1:], False)] if paths[1:] else [])
    return PreparedSource(
        columns=columns,
        native_types={},
        groups=[ScanGroup(files, _csv_scan(columns, parse, delimiter, header, _line_bound([longest[p] for p in files])))
                for files, header in groups],
        original_names=originals,
    )


def native_column_type(duckdb_type: str) -> ColumnType | None:
    """The column type of a typed (parquet/JSON) column, or None for text that still needs parsing."""
    upper = duckdb_type.upper()
    if upper == "BOOLEAN":
        return "boolean"
    if re.fullmatch(r"(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?)|INTEGER", upper):
        return "integer"
    if upper in ("FLOAT", "DOUBLE", "REAL") or upper.startswith("DECIMAL"):
        return "decimal"
    if upper.startswith("TIMESTAMP") or upper == "DATE":
        return "datetime"
    if upper == "VARCHAR":
        return None
    return "string"


def _prepare_typed(con: duckdb.DuckDBPyConnection, paths: list[Path], fmt: TabularFormat) -> PreparedSource:
    reader = "read_parquet({files})" if fmt == "parquet" else "read_json({files}, format = 'newline_delimited')"
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {ScanGroup(paths, reader).scan()}").fetchall()
    except duckdb.Error as error:
        raise InvalidInput(f"could not read the {fmt} files: {str(error).splitlines()[0]}") from None
    columns = [row[0] for row in described]
    _csv.check_width(paths[0].name, len(columns))
    native = {row[0]: t for row in described if (t := native_column_type(row[1])) is not None}
    # Nested or odd types (lists, structs, JSON, blobs) are shown as their text form.
    projection = ", ".join(
        quote_ident(name) if native.get(name) != "string" else f"CAST({quote_ident(name)} AS VARCHAR) AS {quote_ident(name)}"
        for name in columns
    )
    return PreparedSource(
        columns=columns,
        native_types={name: t for name, t in native.items()},
        groups=[ScanGroup(paths, f"(SELECT {projection} FROM {reader})")],
        original_names={str(path): path.name for path in paths},
        columnar=fmt == "parquet",
    )


@contextmanager
def prepared(source: TabularSource, con: duckdb.DuckDBPyConnection) -> Iterator[PreparedSource]:
    """Check the files and make them scannable; transcoded copies live until the block ends."""
    paths = [Path(name) for name in source.files]
    _check_files(paths)
    fmt = detect_format(source.files, source.parse)
    with tempfile.TemporaryDirectory(prefix="modelyard-src-") as scratch:
        if fmt in ("csv", "tsv"):
            yield _prepare_csv(paths, source.parse, fmt == "tsv", Path(scratch))
        else:
            yield _prepare_typed(con, paths, fmt)


_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")
_COLUMN_COUNTS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")
_FILE = re.compile(r"^\s*file = (.+)$", re.MULTILINE)


def explain_scan_error(error: duckdb.Error, prepared_source: PreparedSource, parse: ParseSettings) -> InvalidInput:
    """Turn a DuckDB reader error into a message that names the file, the line and the fix."""
    text = str(error)
    file_match = _FILE.search(text)
    scanned = file_match.group(1).strip() if file_match else None
    name = prepared_source.original_names.get(scanned or "", scanned or "the data")
    line = _CSV_LINE.search(text)
    where = f"line {line.group(1)} of file '{name}'" if line else f"file '{name}'"
    counts = _COLUMN_COUNTS.search(text)
    if counts:
        expected, found = counts.groups()
        return InvalidInput(
            f"{where} has {found} fields, expected {expected} like the header; fix the row, "
            "or check the delimiter and quote settings"
        )
    if "Invalid unicode" in text and scanned:
        return locate_undecodable(Path(scanned), parse.encoding)
    if "unterminated quote" in text:
        return InvalidInput(
            f"{where} has an unterminated quoted field: a {parse.quote!r} opens a value that is never closed; "
            "fix the quote, or set the quote setting"
        )
    if "maximum line size" in text.lower():
        return InvalidInput(f"{where} has a line longer than the reader allows; check the quote and delimiter settings")
    first_line = text.splitlines()[0] if text else type(error).__name__
    return InvalidInput(f"could not read {where}: {first_line}")
