"""Schema inference, validation and the full profile from ONE parse of the source.

The earlier path, ``infer_schema`` + ``resolve_schema`` + a separate profile, read a CSV twice
and classified and converted every value twice. Measured on the 1M-row benchmark file, parsing itself is the small
part (~0.45 CPU-s of ~12); classifying and converting values is most of it. ``inspect_source``:

1. predicts each text column's type from the first ``SAMPLE_ROWS`` rows, in one query over the
   sample's values (``_wide``: planned once, however many columns);
2. parses the whole source once into a scratch table holding, per column, the class code of
   every text value (``k``: what the value parses as, see ``_types.classify``) and the value
   converted to the predicted type (``x``) — the classifier tests the predicted type first
   and shares its one cast with the conversion. Columns the sample says are string store only
   the text; their type counts come from their distinct values. Columns the user typed are
   converted with the validating conversion (the first bad value is reported by column, row
   and value, as ``validate`` does);
3. one aggregate query over the scratch table gives the row count, the type counts (so the
   schema: ``_types.infer_type``), count/min/max/mean of ``x`` and the value counts of boolean
   columns;
4. histograms with the variance, skewness and kurtosis (power sums of the values minus their
   mean, one scan), then distinct counts, quantiles and top values per column, two queries at
   a time, over the compact, typed scratch table — never a CSV again. A Parquet file's columns
   cost little to read again, so its typed columns and its string columns are never copied: the
   statistics read them from the file (a view, and ``direct``).

Where the sample predicted a column wrong (a '?' far down an integer column, many of them
among the first rows), only that column is read again, as its inferred type. A scratch table estimated beyond its share of
DuckDB's memory limit is written to an on-disk database in a temporary folder rather than
spilled. ``profile_source`` (a registered version's profile on demand) is the same pass with
every column's type fixed by its stored schema.

Modules: ``_scan`` (steps 1-2 and the second read), ``_column_stats`` (step 3, distinct counts
and quantiles), ``_shape`` (histograms and moments), ``_value_counts`` (string columns),
``_type_counts``; this module puts them together.

Definitions: ``std``/``variance`` are the sample (n - 1) ones (``std`` is ``sqrt(var_samp)``);
``skewness`` is the adjusted Fisher-Pearson coefficient G1 and ``kurtosis`` the bias-corrected
excess kurtosis G2, as pandas' ``Series.skew()``/``Series.kurt()``; quantiles interpolate
linearly (pandas' default).
Quantiles are exact while one column's values fit in the held share of the memory limit
(``exact_quantile_rows``; 12.5M rows at 1GB) and DuckDB's t-digest ``approx_quantile`` beyond,
labelled by ``quantiles_exact``; counts, distinct counts, min and max are always exact. The
type counts of a decimal column split integer from decimal text as the classifier does (an
integer too large for BIGINT counts as decimal).
"""

from __future__ import annotations

import math
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from modelyard.errors import InvalidInput
from modelyard.spec.data import ColumnOverride, ColumnProfile, ColumnSchema, DataProfile, ValueCount

from modelyard.data._column_stats import (
    BYTES_PER_HELD_VALUE,
    HELD_SHARE,
    distinct_and_quantiles,
    first_aggregate,
    restat,
)
from modelyard.data._duck import column_batches, engine_connection, memory_limit_bytes, quote_literal
from modelyard._phases import phase
from modelyard.data._scan import predict_types, read_again, scan, scratch_on_disk
from modelyard.data._schema import resolve_schema
from modelyard.data._scratch_column import NUMERIC, ScratchColumn
from modelyard.data._shape import finite_float, shapes
from modelyard.data._source import PreparedSource, TabularSource, prepared
from modelyard.data._type_counts import inferred_counts, type_counts
from modelyard.data._types import inferred_column
from modelyard.data._value_counts import string_value_counts

SAMPLE_ROWS = 20_000
# A scratch table estimated above this share of the memory limit is written to disk. Writing it
# costs CPU and I/O (heavy 1M-row CSV, 651 MB estimated, 597 MB held: 16.3 CPU-s and 548 MB
# written on disk, 13.9 CPU-s and nothing written in memory, the same peak RSS), so only a table
# that leaves too little of the limit for the aggregates goes there.
SCRATCH_SHARE = 0.8


def _detach(con) -> None:
    """Let go of the on-disk scratch database before its folder goes, never masking an error."""
    try:
        con.execute("DETACH scratch")
    except duckdb.Error:
        pass


def _json_value(value, column_type: str):
    if value is None:
        return None
    return value.isoformat() if column_type == "datetime" else value


def inspect_source(
    source: TabularSource,
    overrides: list[ColumnOverride] | tuple[ColumnOverride, ...] = (),
    *,
    exact_quantile_rows: int | None = None,
    sample_rows: int = SAMPLE_ROWS,
) -> tuple[list[ColumnSchema], DataProfile]:
    """Infer the schema, apply ``overrides`` (as ``resolve_schema``), validate every value (as
    ``validate``) and profile the included columns (as ``profile_source``) in one parse per
    batch of ``COLUMN_BATCH`` columns (one for most files)."""
    return _inspect(source, list(overrides), exact_quantile_rows, sample_rows, frozenset())


def _inspect(source: TabularSource, overrides: list[ColumnOverride], exact_quantile_rows: int | None,
             sample_rows: int, lenient: frozenset[str]) -> tuple[list[ColumnSchema], DataProfile]:
    """``inspect_source``; the typed columns named in ``lenient`` read values that do not parse as
    missing (a stored schema's ``invalid_as_missing``)."""
    started = time.perf_counter()
    with ExitStack() as stack:
        with phase("prepare (connect, sniff, header)"):
            con = stack.enter_context(engine_connection())
            ready = stack.enter_context(prepared(source, con))
            con.execute("SET preserve_insertion_order = false")  # statistics do not depend on row order
        # The user's overrides, checked against the header before anything is read.
        planned = [c.model_copy(update={"invalid_as_missing": c.name in lenient}) for c in
                   resolve_schema([ColumnSchema(name=n, type="string") for n in ready.columns], overrides)]
        if not any(column.include for column in planned):
            raise InvalidInput("every column is excluded; include at least one column")
        typed_by_user = {o.name for o in overrides if o.type is not None or o.datetime_format is not None}
        columns = [
            ScratchColumn(index=i, name=c.name, native=ready.native_types.get(c.name),
                    fixed=c if c.name in typed_by_user else None, include=c.include)
            for i, c in enumerate(planned)
        ]
        batches = column_batches(columns)
        with phase("type prediction (sample)"):
            text_row_bytes = predict_types(con, ready, source.parse, columns, sample_rows)
        if ready.columnar:  # reading a column again costs little: what needs no parsing is never copied
            for column in columns:
                if column.include and column.text and column.fixed is None and column.certain:
                    column.direct = ready.relation()
                elif column.include and not column.text and (column.fixed is None or column.fixed.type == column.native):
                    column.streamed = True
        if exact_quantile_rows is None:  # exact while one column's values fit in the held share
            exact_quantile_rows = int(memory_limit_bytes(con) * HELD_SHARE // BYTES_PER_HELD_VALUE)
        schema, profiles, on_disk = list(planned), [], False
        for number, batch in enumerate(batches):
            if scratch_on_disk(con, ready, batch, text_row_bytes, SCRATCH_SHARE) and not on_disk:
                scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="modelyard-scratch-"))
                con.execute(f"ATTACH {quote_literal(str(Path(scratch) / 'scratch.duckdb'))} AS scratch")
                stack.callback(_detach, con)
                # Compressing costs more CPU than reading the plain blocks back from the page cache.
                con.execute("SET force_compression = 'uncompressed'")
                on_disk = True
            for column in batch:
                column.table = f"source{number}" if column.streamed else f"{'scratch.' if on_disk else ''}scan{number}"
            rows, batch_profiles = _inspect_batch(con, ready, source, batch, schema, overrides, exact_quantile_rows)
            profiles += batch_profiles
            con.execute(f"DROP VIEW IF EXISTS source{number}")
            for table in (f"scan{number}", f"fix{number}"):
                con.execute(f"DROP TABLE IF EXISTS {'scratch.' if on_disk else ''}{table}")
    profile = DataProfile(rows=rows, columns=profiles, seconds=time.perf_counter() - started,
                          computed_at=datetime.now(timezone.utc))
    return schema, profile


def _inspect_batch(con, ready: PreparedSource, source: TabularSource, columns: list[ScratchColumn],
                   schema: list[ColumnSchema], overrides: list[ColumnOverride],
                   exact_quantile_rows: int) -> tuple[int, list[ColumnProfile]]:
    """Scan, type, validate and profile ``columns``; their final types are set in ``schema``
    (which holds the planned schema for the others)."""
    with phase("read + classify (the one parse)"):
        scan(con, ready, source, columns, schema)
    with phase("type counts, count/min/max/mean"):
        rows, classes, stats = first_aggregate(con, columns)

    # Columns the sample says are string get their type counts from their distinct values (cheaper
    # than classifying every value); the counts may still show a dominant type (``infer_type``).
    with phase("top values + string type counts"):
        counted_values = string_value_counts(con, [c for c in columns if c.include and not c.classified
                                                  and c.text and c.fixed is None])
    for column in columns:
        if column.index in counted_values:
            classes[column.index] = counted_values[column.index].kinds
            if column.direct is not None:
                stats[column.index] = counted_values[column.index].stats
    names = {c.name for c in columns}
    inferred = [inferred_column(c.name, inferred_counts(c, classes[c.index], stats[c.index], rows)) for c in columns]
    for column, final in zip(columns, resolve_schema(inferred, [o for o in overrides if o.name in names])):
        schema[column.index] = column.fixed if column.fixed is not None else final

    wrong = [c for c in columns if c.include and c.stored != schema[c.index].type]
    if wrong:
        with phase("read again (wrong predictions)"):
            read_again(con, ready, source, wrong, schema)
            restat(con, wrong, stats)

    included = [c for c in columns if c.include]
    numeric = [c for c in included if c.stored in NUMERIC]
    with phase("histograms, variance, skewness, kurtosis"):
        shaped = shapes(con, [(c, stats[c.index]) for c in numeric if stats[c.index]["min"] is not None])
    exact = rows <= exact_quantile_rows
    with phase("distinct counts + quantiles"):
        distinct_quantiles = distinct_and_quantiles(
            con, [c for c in included if c.stored in NUMERIC or c.stored == "datetime"], rows, exact)
    with phase("top values + string type counts"):
        counted_values.update(string_value_counts(con, [c for c in included if schema[c.index].type == "string"
                                                       and c.index not in counted_values]))

    profiles = []
    for column in included:
        final, stat = schema[column.index], stats[column.index]
        extra: dict = {}
        if final.type in NUMERIC:
            distinct, quantiles = distinct_quantiles[column.index]
            shape = shaped.get(column.index)
            extra = {
                "quantiles": quantiles or None,
                "quantiles_exact": exact,
                "histogram": shape.histogram if shape else None,
                "mean": finite_float(stat["mean"]),
                "variance": shape.variance if shape else None,
                # std is sqrt(var_samp), as DuckDB's stddev_samp computes it
                "std": math.sqrt(shape.variance) if shape and shape.variance is not None else None,
                "skewness": shape.skewness if shape else None,
                "kurtosis": shape.kurtosis if shape else None,
            }
        elif final.type == "boolean":
            counted = sorted(((stat[key], key == "true") for key in ("true", "false") if stat[key]), reverse=True)
            distinct = len(counted)
            extra = {"value_counts": [ValueCount(value=value, count=n) for n, value in counted]}
        elif final.type == "string":
            counted = counted_values[column.index]
            distinct = counted.distinct
            if counted.kinds is not None:
                classes[column.index] = counted.kinds
            extra = {"value_counts": counted.top}
        else:
            distinct = distinct_quantiles[column.index][0]
        counts = type_counts(column, final, classes[column.index], stat["count"], rows)
        missing = counts.get("null", 0)
        profiles.append(ColumnProfile(
            name=column.name,
            type=final.type,
            type_counts=counts,
            count=rows,
            non_missing=rows - missing,
            missing=missing,
            errors=counts.get("error", 0),
            distinct=distinct,
            min=_json_value(stat["min"], final.type),
            max=_json_value(stat["max"], final.type),
            **extra,
        ))
    return rows, profiles


def profile_source(source: TabularSource, schema: list[ColumnSchema]) -> DataProfile:
    """The profile of a source whose schema is known: ``inspect_source`` with every type fixed."""
    fixed = [ColumnOverride(name=c.name, type=c.type, include=c.include, datetime_format=c.datetime_format)
             for c in schema]
    lenient = frozenset(c.name for c in schema if c.invalid_as_missing)
    return _inspect(source, fixed, None, SAMPLE_ROWS, lenient)[1]
