"""Printing results as a table, JSON or YAML (``-o table|json|yaml``)."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any, Iterable, Sequence


class Format(str, Enum):
    table = "table"
    json = "json"
    yaml = "yaml"


def plain(value: Any) -> Any:
    """Pydantic models and lists of them as JSON-ready data."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def emit(value: Any, fmt: Format, columns: Sequence[str] | None = None, title: str | None = None) -> None:
    data = plain(value)
    if fmt is Format.json:
        print(json.dumps(data, indent=2, default=str))
    elif fmt is Format.yaml:
        import yaml

        print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), end="")
    elif isinstance(data, list):
        table(data, columns or (list(data[0]) if data else []), title)
    else:
        table([{"field": k, "value": v} for k, v in data.items()], ["field", "value"], title)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)
    return str(value)


def table(rows: Iterable[dict[str, Any]], columns: Sequence[str], title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    view = Table(title=title, show_lines=False)
    for column in columns:
        view.add_column(column, overflow="fold")
    for row in rows:
        view.add_row(*(cell(row.get(column)) for column in columns))
    console = Console()
    if not console.is_terminal:  # logs and pipes: wide enough for a profile table
        console = Console(width=max(console.width, 160))
    console.print(view)
