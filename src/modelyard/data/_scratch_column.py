"""One source column as the profile's scratch tables hold it (see ``_inspect``)."""

from __future__ import annotations

from dataclasses import dataclass

from modelyard.spec.data import ColumnSchema, ColumnType

NUMERIC = ("integer", "decimal")


@dataclass
class ScratchColumn:
    """One source column in the scratch table: ``k<i>`` (text columns) and ``x<i>`` (included)."""

    index: int
    name: str
    native: ColumnType | None  # the format's own type (parquet, typed JSON), None for text
    fixed: ColumnSchema | None  # the user's type (type or datetime_format), validated while reading
    include: bool
    predicted: ColumnType = "string"  # text columns: the type of the sampled values
    certain: bool = False  # the sample says string (its type counts then come from its distinct values)
    length: float = 0.0  # average text length in the sample
    stored: ColumnType | None = None  # type of x<i>; None when excluded
    table: str = "scan"  # where the final x<i> lives: "scan", or "fix" after a wrong prediction
    direct: str | None = None  # SQL of the source, when a string column is read from it, not stored
    streamed: bool = False  # a typed column of a columnar source: x<i> is a view over the source, not a copy

    @property
    def text(self) -> bool:
        return self.native is None

    @property
    def classified(self) -> bool:
        """Whether the scan classifies every value (k<i>): to infer the type, or to split a decimal
        column's integer and decimal text. String columns get their type counts from their
        distinct values instead (``_value_counts``)."""
        if not self.text:
            return False
        if self.fixed is not None:
            return self.include and (self.fixed.type == "decimal" or self.fixed.invalid_as_missing)
        return not (self.certain and self.include)


def by_table(columns: list[ScratchColumn]) -> dict[str, list[ScratchColumn]]:
    tables: dict[str, list[ScratchColumn]] = {}
    for column in columns:
        tables.setdefault(column.table, []).append(column)
    return tables
