"""Text encodings: which ones DuckDB reads directly, streaming transcoding of the others to
UTF-8, and messages that point at the first undecodable byte."""

from __future__ import annotations

import codecs
from pathlib import Path

from modelyard.errors import InvalidInput

from modelyard.data._duck import check_time

_CHUNK_BYTES = 1 << 20
_DUCKDB_NATIVE = {"utf-8", "utf-8-sig"}


def normalize_encoding(name: str) -> str:
    """The codec's canonical name ('latin-1' -> 'iso8859-1'); InvalidInput if Python lacks it."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InvalidInput(
            f"encoding {name!r} is not known; use a Python codec name such as utf-8, utf-16, latin-1 or cp1252"
        ) from None


def read_directly(encoding: str) -> bool:
    """Whether DuckDB can read files in this encoding without transcoding (it strips a UTF-8 BOM)."""
    return normalize_encoding(encoding) in _DUCKDB_NATIVE


def header_codec(encoding: str) -> str:
    """The codec to read header lines in Python: UTF-8 files may start with a BOM."""
    codec = normalize_encoding(encoding)
    return "utf-8-sig" if codec == "utf-8" else codec


def _decode_error(path: Path, encoding: str, offset: int, line: int, byte: int | None) -> InvalidInput:
    what = f"byte 0x{byte:02x}" if byte is not None else "a byte sequence"
    return InvalidInput(
        f"file '{path.name}' is not valid {encoding}: {what} at byte offset {offset} (line {line}) "
        "cannot be decoded; set encoding to the file's real encoding, e.g. latin-1 or cp1252 for files "
        "from Excel or older systems"
    )


def transcode_to_utf8(path: Path, encoding: str, dest: Path) -> None:
    """Stream ``path`` from ``encoding`` into a UTF-8 file, failing on the first bad byte."""
    codec = header_codec(encoding)
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    offset = 0
    lines_before = 0
    with path.open("rb") as raw, dest.open("w", encoding="utf-8", newline="") as out:
        while True:
            check_time()
            chunk = raw.read(_CHUNK_BYTES)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                bad_at = max(0, error.start)
                prefix = error.object[:bad_at].decode(codec, errors="replace")
                byte = error.object[bad_at] if bad_at < len(error.object) else None
                pending = len(error.object) - len(chunk)  # bytes carried over from the previous chunk
                raise _decode_error(
                    path, encoding, offset - pending + bad_at, lines_before + prefix.count("\n") + 1, byte
                ) from None
            out.write(text)
            lines_before += text.count("\n")
            offset += len(chunk)
            if not chunk:
                return


def locate_undecodable(path: Path, encoding: str) -> InvalidInput:
    """Find the first undecodable byte of a file DuckDB refused (the slow path, after a failure)."""
    import os
    import tempfile

    fd, scratch = tempfile.mkstemp(suffix=".txt")
    os.close(fd)
    try:
        transcode_to_utf8(path, encoding, Path(scratch))
    except InvalidInput as error:
        return error
    finally:
        os.unlink(scratch)
    return InvalidInput(f"file '{path.name}' could not be decoded as {encoding}; check its encoding setting")
