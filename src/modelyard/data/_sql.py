"""SQL sources: accept one read-only SELECT and stream its result into a Parquet file."""

from __future__ import annotations

import os
import re
from pathlib import Path

from modelyard.errors import InvalidInput, Unreachable

CHUNK_ROWS = 50_000

# Statements (or clauses) that write, change the session or reach outside the query.
_FORBIDDEN = {
    "ALTER", "ANALYZE", "ATTACH", "CALL", "COMMENT", "COMMIT", "COPY", "CREATE", "DELETE", "DETACH", "DO",
    "DROP", "EXEC", "EXECUTE", "EXPORT", "GRANT", "IMPORT", "INSERT", "INSTALL", "INTO", "LISTEN", "LOAD",
    "LOCK", "MERGE", "NOTIFY", "PRAGMA", "PREPARE", "REFRESH", "REINDEX", "RESET", "REVOKE", "ROLLBACK",
    "SAVEPOINT", "SET", "TRUNCATE", "UPDATE", "UPSERT", "VACUUM",
}
# Comments, strings and quoted names are skipped only where every database reads them the same way:
# MySQL runs the inside of /*! ... */, takes "--" as a comment only before a space and reads a
# backslash before a quote as an escape, so those are scanned as code or refused.
_TOKENS = re.compile(
    r"""(?P<skip>--(?=\s|$)[^\n]*|/\*(?!!).*?\*/|'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|\$\$.*?\$\$)
      |(?P<semicolon>;)
      |(?P<dot>\.)
      |(?P<word>[A-Za-z_][A-Za-z0-9_$]*)
      |(?P<code_comment>/\*!)
      |(?P<unclosed>/\*|'|"|`)
      |(?P<other>\S)""",
    re.VERBOSE | re.DOTALL,
)
_ONLY_SELECT = "only a single SELECT (or WITH ... SELECT) statement is accepted"


def check_select(query: str) -> str:
    """Return the query without a trailing ';' if it is one read-only SELECT; else InvalidInput.

    A keyword is a word in a keyword's place: a word after AS (an alias) or beside a dot (a
    qualified name) is a name, so ``SELECT 1 AS comment`` and ``SELECT t.update FROM t`` pass.
    """
    tokens: list[tuple[str, str]] = []
    for match in _TOKENS.finditer(query):
        kind = match.lastgroup
        if kind == "unclosed":
            raise InvalidInput(f"the query has an unclosed comment, string or quoted name; {_ONLY_SELECT}")
        if kind == "skip" and match.group()[0] in "'\"" and "\\" + match.group()[0] in match.group():
            raise InvalidInput("the query has a backslash before a quote, which databases read differently; "
                               f"write a quote inside a string as two quotes (''); {_ONLY_SELECT}")
        if kind != "skip":
            tokens.append((kind, match.group().upper()))
    words: list[str] = []
    statements_ended = False
    for index, (kind, text) in enumerate(tokens):
        if kind == "semicolon":
            statements_ended = True
        elif kind == "word":
            if statements_ended:
                raise InvalidInput(f"the query holds more than one statement; {_ONLY_SELECT}")
            if not _is_name(tokens, index):
                words.append(text)
    if not words or words[0] not in ("SELECT", "WITH", "VALUES"):
        raise InvalidInput(f"the query starts with {words[0] if words else 'nothing'}; {_ONLY_SELECT}")
    forbidden = sorted(_FORBIDDEN.intersection(words))
    if forbidden:
        raise InvalidInput(f"the query uses {', '.join(forbidden)}; {_ONLY_SELECT}, reading data only "
                           "(a column with such a name can be quoted, \"comment\", or qualified, t.comment)")
    return query.strip().rstrip(";").strip()


def _is_name(tokens: list[tuple[str, str]], index: int) -> bool:
    """Whether the word at ``index`` stands where only a name can: after AS, or beside a dot."""
    before = tokens[index - 1] if index else ("", "")
    after = tokens[index + 1] if index + 1 < len(tokens) else ("", "")
    return index > 0 and (before == ("word", "AS") or before[0] == "dot" or after[0] == "dot")


def _read_only_engine(sql_url: str):
    import sqlalchemy as sa

    url = sa.make_url(sql_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = url.database
        if not database.startswith("file:"):
            database = f"file:{Path(database).resolve()}"
        url = url.set(database=database, query={**url.query, "mode": "ro", "uri": "true"})
    return url, sa.create_engine(url)


def _safe_url(url) -> str:
    return url.render_as_string(hide_password=True)


def _arrow_chunk(names: list[str], rows: list, schema):
    """A record batch in the writer's schema; values that do not fit a column's type become text."""
    import pyarrow as pa

    columns = list(zip(*rows)) if rows else [[] for _ in names]
    arrays = []
    for index, values in enumerate(columns):
        wanted = schema.field(index).type if schema is not None else None
        try:
            array = pa.array(values, type=wanted)
            if wanted is None and pa.types.is_null(array.type):
                array = pa.array(values, type=pa.large_string())
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
            if wanted is not None and not pa.types.is_large_string(wanted):
                raise
            array = pa.array([None if v is None else str(v) for v in values], type=pa.large_string())
        arrays.append(array)
    return pa.RecordBatch.from_arrays(arrays, names=names)


def materialize_query(sql_url: str, query: str, dest_path: str) -> int:
    """Run one read-only SELECT and stream its rows into a Parquet file; returns the row count.

    The file appears at ``dest_path`` only when complete (written under a temporary name first).
    """
    import pyarrow.parquet as pq
    import sqlalchemy as sa

    statement = check_select(query)
    url, engine = _read_only_engine(sql_url)
    shown = _safe_url(sa.make_url(sql_url))
    dest = Path(dest_path)
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    rows_written = 0
    writer = None
    try:
        try:
            connection = engine.connect()
        except sa.exc.DBAPIError as error:
            raise Unreachable(f"cannot reach datastore {shown}: {str(error.orig).strip()}") from None
        with connection:
            transaction = connection.begin()  # rolled back: nothing the query did may stick
            try:
                if url.get_backend_name() == "postgresql":
                    connection.exec_driver_sql("SET TRANSACTION READ ONLY")
                result = connection.execution_options(stream_results=True).exec_driver_sql(statement)
                names = list(result.keys())
                for chunk in result.partitions(CHUNK_ROWS):
                    batch = _arrow_chunk(names, chunk, writer.schema if writer else None)
                    if writer is None:
                        writer = pq.ParquetWriter(partial, batch.schema)
                    writer.write_batch(batch)
                    rows_written += batch.num_rows
                if writer is None:  # no rows: still write the columns
                    writer = pq.ParquetWriter(partial, _arrow_chunk(names, [], None).schema)
            except sa.exc.DBAPIError as error:
                raise InvalidInput(f"the query failed on {shown}: {str(error.orig).strip()}") from None
            finally:
                transaction.rollback()
        writer.close()
        writer = None
        partial.replace(dest)
        return rows_written
    finally:
        if writer is not None:
            writer.close()
        partial.unlink(missing_ok=True)
        engine.dispose()
