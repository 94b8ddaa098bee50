"""Byte-level checks of CSV files before they are parsed: binary files under a text name (a
workbook renamed .csv), NUL bytes, and line endings that mix CRLF and LF (which DuckDB's strict
reader refuses; a copy with LF endings is read instead)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from modelyard.errors import InvalidInput

from modelyard.data._duck import check_time

_CHUNK_BYTES = 1 << 20
_EXPORT = "export or save it as CSV text"
# (leading bytes, what the file is, the fix); each is impossible at the start of CSV text.
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook?)", _EXPORT),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Office document (an Excel .xls workbook?)", _EXPORT),
    (b"%PDF-", "a PDF document", _EXPORT),
    (b"\x1f\x8b", "gzip-compressed", "decompress it first"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed", "decompress it first"),
    (b"\xfd7zXZ\x00", "xz-compressed", "decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "extract it first"),
    (b"SQLite format 3\x00", "an SQLite database", "export the table as CSV, or register it through a sql datastore"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "register it as uri_file"),
)
_PARQUET = b"PAR1"


def refuse_binary(path: Path, fmt: str, name: str) -> None:
    """InvalidInput if the file's first (or, for Parquet, first and last) bytes say it is binary."""
    with path.open("rb") as handle:
        head = handle.read(16)
        handle.seek(max(0, path.stat().st_size - 4))
        tail = handle.read(4)
    for magic, what, fix in _MAGIC:
        if head.startswith(magic):
            raise InvalidInput(f"file '{name}' is {what}, not {fmt} text; {fix}")
    if head.startswith(_PARQUET) and tail == _PARQUET:
        raise InvalidInput(f"file '{name}' is a Parquet file, not {fmt} text; name it .parquet or set parse format: parquet")


@dataclass
class TextShape:
    """What the byte-level pass learned about a text file."""

    mixed_endings: bool  # CRLF and LF both end lines
    longest_record: int  # bytes a record may span, at most: bounds the reader's line buffer


def check_text(path: Path, name: str, quote: str) -> TextShape:
    """Refuse NUL bytes (naming where the first one is); tell whether line endings mix CRLF and LF,
    and how long a record may be. A record spans lines only inside quotes: in a file without the
    quote character it is at most its longest line (bounded by the distance between the newlines
    around each chunk boundary, or the chunk size); otherwise at most the file. Newlines are only
    counted in chunks holding a CR: counting is the costliest step of this pass."""
    crlf = bare_lf = False
    offset = widest = 0
    previous, last_newline = b"", -1
    mark = quote.encode()
    quoted = len(mark) > 1  # a multi-byte quote could be split across chunks: assume it is there
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK_BYTES):
            check_time()
            nul = chunk.find(b"\x00")
            if nul >= 0:
                raise InvalidInput(
                    f"file '{name}' holds a NUL byte at byte offset {offset + nul} (line {_line_at(path, offset + nul)}); "
                    "text never does: the file is binary, or in a 16-bit encoding (then set encoding: utf-16)"
                )
            first = chunk.find(b"\n")
            if first >= 0:
                if previous == b"\r" or b"\r" in chunk:
                    pairs = chunk.count(b"\r\n") + (previous == b"\r" and first == 0)
                    crlf = crlf or pairs > 0
                    bare_lf = bare_lf or pairs < chunk.count(b"\n")
                else:
                    bare_lf = True
                widest = max(widest, offset + first - last_newline)
                last_newline = offset + chunk.rfind(b"\n")
            quoted = quoted or bool(mark and mark in chunk)
            previous, offset = chunk[-1:], offset + len(chunk)
    longest = offset if quoted else max(widest, offset - 1 - last_newline, min(offset, _CHUNK_BYTES))
    return TextShape(mixed_endings=crlf and bare_lf, longest_record=longest)


def _line_at(path: Path, offset: int) -> int:
    """The 1-based line number of the byte at ``offset``."""
    lines = 0
    with path.open("rb") as handle:
        while offset > 0 and (chunk := handle.read(min(_CHUNK_BYTES, offset))):
            lines += chunk.count(b"\n")
            offset -= len(chunk)
    return lines + 1


def with_lf_endings(path: Path, dest: Path) -> None:
    """Copy ``path`` to ``dest`` with every CRLF turned into LF (a CR split across chunks included)."""
    with path.open("rb") as raw, dest.open("wb") as out:
        carried = b""
        while chunk := raw.read(_CHUNK_BYTES):
            check_time()
            chunk = carried + chunk
            carried = b"\r" if chunk.endswith(b"\r") else b""
            out.write(chunk[: len(chunk) - len(carried)].replace(b"\r\n", b"\n"))
        out.write(carried)
