"""The tabular data engine: reading files as typed tables, schema inference, profiling, SQL sources.

Everything runs on DuckDB and Arrow in bounded memory; pandas is left to the user-facing edge.
"""

from modelyard._lazy import lazy_exports

_EXPORTS = {
    "DetectedSchema": "_detect",
    "as_written": "_detect",
    "detect_schema": "_detect",
    "time_limit": "_duck",
    "inspect_source": "_inspect",
    "profile_source": "_inspect",
    "iter_batches": "_read",
    "read_arrow": "_read",
    "validate": "_read",
    "infer_schema": "_schema",
    "resolve_schema": "_schema",
    "check_select": "_sql",
    "materialize_query": "_sql",
    "TabularSource": "_source",
    "detect_format": "_source",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = list(_EXPORTS)
