"""Data assets and previews as terminal tables that stay readable at 80-160 columns."""

from __future__ import annotations

from typing import Any

from modelyard.cli._output import cell, table

ROWS_PER_TABLE = 5  # preview rows side by side in one transposed table
WIDEST_VALUE = 30
COLUMN_PAIRS = 3  # (column, type) pairs per line of the columns table


def short(value: Any) -> str:
    text = cell(value)
    return text if len(text) <= WIDEST_VALUE else text[:WIDEST_VALUE - 1] + "…"


def print_preview(result: dict[str, Any]) -> None:
    """One line per column with its type and the rows' values; rows beyond five go to further tables."""
    rows = result["rows"]
    if not rows:
        table([{"column": c["name"], "type": c["type"]} for c in result["columns"]], ["column", "type"], "no rows")
        return
    for start in range(0, len(rows), ROWS_PER_TABLE):
        chunk = rows[start:start + ROWS_PER_TABLE]
        labels = [f"row {start + i + 1}" for i in range(len(chunk))]
        lines = [{"column": c["name"], "type": c["type"], **{label: short(row[index]) for label, row in zip(labels, chunk)}}
                 for index, c in enumerate(result["columns"])]
        table(lines, ["column", "type", *labels], f"rows {start + 1}-{start + len(chunk)} of {len(rows)}")


def print_asset(record) -> None:
    """Name, version, type, rows and columns count, then the columns a few to a line."""
    columns = record.columns or []
    summary = {"name": record.name, "version": record.version, "type": record.type, "rows": record.rows,
               "columns": len(columns) if record.columns is not None else None, "size (bytes)": record.size_bytes,
               "source": record.source, "path": record.path, "created": record.created_at,
               "description": record.description, "tags": record.tags or None}
    table([{"field": k, "value": v} for k, v in summary.items() if v is not None], ["field", "value"],
          f"data asset {record.name}:{record.version}")
    if columns:
        headers = [h for i in range(min(COLUMN_PAIRS, len(columns))) for h in (f"column{' ' * i}", f"type{' ' * i}")]
        lines = []
        for start in range(0, len(columns), COLUMN_PAIRS):
            line: dict[str, Any] = {}
            for i, column in enumerate(columns[start:start + COLUMN_PAIRS]):
                line[f"column{' ' * i}"] = column.name if column.include else f"{column.name} (excluded)"
                line[f"type{' ' * i}"] = column.type
            lines.append(line)
        table(lines, headers, "columns")
