"""The table of cohorts: saved filters on a model version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from modelyard.store._tables import Base, utcnow


class CohortRow(Base):
    __tablename__ = "cohorts"
    __table_args__ = (UniqueConstraint("model_name", "model_version", "name", name="uq_cohorts_model_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_name: Mapped[str] = mapped_column(String(255), index=True)
    model_version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    filters: Mapped[list[Any]] = mapped_column(JSON, default=list)
    combine: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
