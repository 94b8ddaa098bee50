"""The tabular data engine: reading files as typed tables, schema inference, profiling, SQL sources.

Everything runs on DuckDB and Arrow in bounded memory; pandas is left to the user-facing edge.
"""

from modelyard.data._detect import DetectedSchema, as_written, detect_schema
from modelyard.data._duck import time_limit
from modelyard.data._inspect import inspect_source, profile_source
from modelyard.data._read import iter_batches, read_arrow, validate
from modelyard.data._schema import infer_schema, resolve_schema
from modelyard.data._sql import check_select, materialize_query
from modelyard.data._source import TabularSource, detect_format

__all__ = [
    "DetectedSchema",
    "TabularSource",
    "as_written",
    "check_select",
    "detect_format",
    "detect_schema",
    "infer_schema",
    "inspect_source",
    "iter_batches",
    "materialize_query",
    "profile_source",
    "read_arrow",
    "resolve_schema",
    "time_limit",
    "validate",
]
