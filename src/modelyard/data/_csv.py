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


def _first_records(path: Path, parse: ParseSettings, delimiter: str, count: int) -> list[list[str]]:
    with path.open(encoding=header_codec(parse.encoding), errors="replace", newline="") as handle:
        for _ in range(parse.skip_rows):
            handle.readline()
        reader = csv.reader(handle, **csv_reader_options(parse, delimiter))
        try:
            return [record for record in itertools.islice(reader, count) if record]
        except csv.Error as error:
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
