"""Shapes of the workspace's notebooks folder."""

from __future__ import annotations

from datetime import datetime

from modelyard.spec._common import Record


class NotebookFile(Record):
    path: str
    size: int
    modified_at: datetime
