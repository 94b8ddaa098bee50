"""CSV dialect and header handling done in Python on the first lines of each file: delimiter
sniffing, header names, and the checks that make header mistakes explicit."""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from pathlib import Path

from modelyard.errors import InvalidInput
from modelyard.spec.data import ParseSettings

from modelyard.data._encoding import header_codec

DELIMITER_CANDIDATES = (",", ";", "\t", "|")
# The longest field (and so line) a CSV may hold; Python's csv module allows 128 KiB by default.
MAX_FIELD_BYTES = 64 << 20
# The widest table accepted: wider files are refused before anything is parsed. Inference and
# profiling handle columns in batches, so their cost grows with the column count.
MAX_COLUMNS = 10_000
csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_BYTES))
_SNIFF_LINES = 50
_VALUE_LIKE = re.compile(
    r"\s*([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|true|false|\d{4}-\d{1,2}-\d{1,2}([ T].*)?|\d{1,2}/\d{1,2}/\d{2,4})?\s*",
    re.IGNORECASE,
)


def csv_reader_options(parse: ParseSettings, delimiter: str) -> dict:
    return {
        "delimiter": delimiter,
        "quotechar": parse.quote or None,
        "escapechar": parse.escape if parse.escape not in (None, parse.quote) else None,
        "doublequote": parse.escape in (None, parse.quote),
        "quoting": csv.QUOTE_MINIMAL if parse.quote else csv.QUOTE_NONE,
    }


def _read_records(path: Path, parse: ParseSettings, delimiter: str, count: int, strict: bool) -> list[list[str]]:
    records: list[list[str]] = []
    with path.open(encoding=header_codec(parse.encoding), errors="replace", newline="") as handle:
        for _ in range(parse.skip_rows):
            handle.readline()
        reader = csv.reader(handle, strict=strict, **csv_reader_options(parse, delimiter))
        while len(records) < count:
            start = parse.skip_rows + reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise _RecordError(str(error), start) from None
            if record:
                records.append(record)
    return records


class _RecordError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _first_records(path: Path, parse: ParseSettings, delimiter: str, count: int) -> list[list[str]]:
    """Strict parsing first, to tell an unterminated quote (which would swallow the rest of the
    file) from other oddities, which the lenient parser tolerates as before."""
    try:
        return _read_records(path, parse, delimiter, count, strict=True)
    except _RecordError as error:
        if "unexpected end of data" in str(error):
            raise InvalidInput(
                f"file '{path.name}' has an unterminated quoted field starting at line {error.line}: a "
                f"{parse.quote!r} opens a value that is never closed; fix the quote, or set the quote setting"
            ) from None
        if "field larger than field limit" in str(error):
            raise InvalidInput(
                f"file '{path.name}' has a field longer than {MAX_FIELD_BYTES >> 20} MiB starting at line "
                f"{error.line} (most likely a quote that is never closed); fix the quote, or set the quote setting"
            ) from None
    try:
        return _read_records(path, parse, delimiter, count, strict=False)
    except _RecordError as error:
        raise InvalidInput(f"file '{path.name}' could not be parsed as CSV near its start: {error}") from None


def sniff_delimiter(path: Path, parse: ParseSettings) -> str:
    """The candidate that splits the first lines into the same number (> 1) of fields most often."""
    best, best_score = ",", (0, 0)
    for candidate in DELIMITER_CANDIDATES:
        records = _first_records(path, parse, candidate, _SNIFF_LINES)
        if not records:
            continue
        widths = Counter(len(record) for record in records)
        width, agreeing = widths.most_common(1)[0]
        score = (agreeing, width) if width > 1 else (0, 0)
        if score > best_score:
            best, best_score = candidate, score
    return best


def first_record(path: Path, parse: ParseSettings, delimiter: str) -> list[str]:
    """The first record after ``skip_rows`` lines (the header, or the first data row)."""
    records = _first_records(path, parse, delimiter, 1)
    if not records:
        raise InvalidInput(
            f"file '{path.name}' has no rows after skipping {parse.skip_rows} line(s)"
            if parse.skip_rows
            else f"file '{path.name}' has no rows"
        )
    return records[0]


def check_width(name: str, width: int) -> None:
    if width > MAX_COLUMNS:
        raise InvalidInput(
            f"file '{name}' has too many columns ({width} > {MAX_COLUMNS}, the most a data asset may have); "
            "split the file, or check the delimiter setting"
        )


def header_names(path: Path, record: list[str]) -> list[str]:
    """Column names from a header record; explains duplicates and rows that look like data."""
    names = [cell.strip() or f"Column{index}" for index, cell in enumerate(record, start=1)]
    if all(_VALUE_LIKE.fullmatch(cell) for cell in record):
        shown = ", ".join(repr(cell) for cell in record[:5])
        raise InvalidInput(
            f"the first row of file '{path.name}' looks like data ({shown}{', ...' if len(record) > 5 else ''}), "
            "not a header; set header: no_headers if the file has no header row"
        )
    seen: dict[str, int] = {}
    duplicates: list[str] = []
    for position, name in enumerate(names, start=1):
        if name in seen:
            duplicates.append(f"'{name}' (columns {seen[name]} and {position})")
        else:
            seen[name] = position
    if duplicates:
        raise InvalidInput(
            f"file '{path.name}' has duplicate column names: {', '.join(duplicates)}; rename them, "
            "or set header: no_headers if the first row is data"
        )
    return names


def positional_names(width: int) -> list[str]:
    return [f"Column{index}" for index in range(1, width + 1)]


def check_same_header(first: Path, first_names: list[str], other: Path, other_names: list[str]) -> None:
    if other_names == first_names:
        return
    missing = [name for name in first_names if name not in other_names]
    extra = [name for name in other_names if name not in first_names]
    detail = (
        f"missing {missing}, extra {extra}" if missing or extra else "same names in a different order"
    )
    raise InvalidInput(
        f"file '{other.name}' has a different header from '{first.name}' ({detail}); every file must have "
        "the same header with header: all_files_same_headers (or use only_first_file_has_headers)"
    )
