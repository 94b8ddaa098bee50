"""The one entry point for the schema of a tabular source: registration, preview, the runtime and
batch scoring all call ``detect_schema``, with or without the profile."""

from __future__ import annotations

from dataclasses import dataclass

from modelyard.errors import InvalidInput
from modelyard.spec.data import ColumnOverride, ColumnSchema, DataProfile

from modelyard.data._inspect import inspect_source
from modelyard.data._read import validate as validate_values
from modelyard.data._schema import counted_schema, resolve_schema
from modelyard.data._source import TabularSource


@dataclass(frozen=True)
class DetectedSchema:
    schema: list[ColumnSchema]
    rows: int
    profile: DataProfile | None = None


def detect_schema(source: TabularSource, overrides: list[ColumnOverride] | tuple[ColumnOverride, ...] = (), *,
                  profile: bool = False, validate: bool = True) -> DetectedSchema:
    """The inferred schema with the user's ``overrides`` applied, and the row count.

    ``profile=True``: with the full profile, from one parse (``inspect_source``), every value
    validated. Otherwise one pass counting what each value parses as (``infer_schema``), the same
    inference, so both give the same schema; inferred types hold every value by construction, so
    only the columns the user typed are checked, in a second pass, and only with ``validate``
    (a preview reads just its first rows)."""
    overrides = list(overrides)
    if profile:
        schema, found = inspect_source(source, overrides)
        return DetectedSchema(schema, found.rows, found)
    inferred, rows = counted_schema(source)
    schema = resolve_schema(inferred, overrides)
    typed = {o.name for o in overrides if o.type is not None or o.datetime_format is not None}
    if validate and any(c.include for c in schema if c.name in typed):
        validate_values(source, [c.model_copy(update={"include": c.include and c.name in typed}) for c in schema])
    elif not any(c.include for c in schema):
        raise InvalidInput("every column is excluded; include at least one column")
    return DetectedSchema(schema, rows)


def as_written(schema: list[ColumnSchema]) -> list[ColumnSchema]:
    """``schema`` for reading values as the file holds them: a column whose few odd values the
    profile reads as missing (``invalid_as_missing``) is read as text, so that a model's own input
    check sees, names and reports the value as written (batch scoring)."""
    return [c.model_copy(update={"type": "string", "invalid_as_missing": False}) if c.invalid_as_missing else c
            for c in schema]

