"""The read every service repeats: one row by a query, or ``NotFound`` with a message that says what to do."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

from modelyard.errors import NotFound
from modelyard.services._context import ServiceContext

Row = TypeVar("Row")


def one_or_not_found(session: Session, query: Select[tuple[Row]], missing: str) -> Row:
    """The row ``query`` finds in ``session`` (to change it there), or ``NotFound(missing)``."""
    row = session.scalar(query)
    if row is None:
        raise NotFound(missing)
    return row


def get_one(context: ServiceContext, query: Select[tuple[Row]], missing: str) -> Row:
    """The row ``query`` finds, read in a session of its own (so detached: for services only), or ``NotFound``."""
    with context.session() as session:
        return one_or_not_found(session, query, missing)
