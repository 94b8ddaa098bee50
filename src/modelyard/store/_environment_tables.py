"""The table of environment versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from modelyard.store._tables import Base, utcnow


class EnvironmentRow(Base):
    """One immutable environment version; its build job's outcome (packages, log) is written once."""

    __tablename__ = "environments"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_environments_name_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    version: Mapped[int] = mapped_column(Integer)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    python: Mapped[str | None] = mapped_column(String(32), nullable=True)
    pip: Mapped[list[Any]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(80), index=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    tags: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    build_job: Mapped[str | None] = mapped_column(String(255), nullable=True)
    packages: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)  # pip freeze once built
    build_log: Mapped[str | None] = mapped_column(Text, nullable=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
