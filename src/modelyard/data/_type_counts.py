"""A column's type counts: what its values parse as, for the profile and for inferring its type."""

from __future__ import annotations

from modelyard.spec.data import ColumnSchema

from modelyard.data._scratch_column import ScratchColumn
from modelyard.data._types import TYPE_CODES, type_errors


def type_counts(column: ScratchColumn, final: ColumnSchema, classes: dict, parsed: int, rows: int) -> dict[str, int]:
    """What the values parse as, nulls under 'null'. Text columns of the inferred type report
    their classes, those that do not parse as the column's type under 'error'; a column the user
    typed reports its values as that type (they all converted), except decimal, split into
    integer and decimal text like an inferred decimal column."""
    if column.text and (final.type == "string" or column.classified or column.fixed is None):
        counts = {TYPE_CODES[code]: n for code, n in classes.items() if code != 0 and n}
        non_null = sum(counts.values())
        if final.type == "decimal" and column.fixed is not None and not final.invalid_as_missing:
            integers = counts.get("integer", 0)
            counts = {"integer": integers, "decimal": non_null - integers}
        errors = type_errors(counts, final.type)
        if errors:
            counts = {name: n for name, n in counts.items() if not type_errors({name: n}, final.type)}
            counts["error"] = errors
        counts["null"] = rows - non_null
    elif column.text:
        counts = {final.type: parsed, "null": rows - parsed}
    else:
        counts = {column.native: parsed, "null": rows - parsed}
    return {key: value for key, value in counts.items() if value}


def inferred_counts(column: ScratchColumn, classes: dict, stats: dict, rows: int) -> dict[str, int]:
    if column.text and column.fixed is not None and not column.classified:  # typed by the user
        return {column.fixed.type: 1}
    if column.text:
        counts = {TYPE_CODES[code]: n for code, n in classes.items()}
    else:
        non_null = int(stats["count"] or 0)
        counts = {column.native: non_null, "null": rows - non_null}
    return {key: value for key, value in counts.items() if value}
