"""Request-scoped access to the services the app holds."""

from __future__ import annotations

from fastapi import Request

from modelyard.errors import InvalidInput
from modelyard.services._context import ServiceContext


def context(request: Request) -> ServiceContext:
    return request.app.state.context


def parse_version(version: str) -> int | None:
    """``latest`` → None, a positive integer → itself."""
    if version == "latest":
        return None
    if not version.isdigit() or int(version) < 1:
        raise InvalidInput(f"version must be a positive integer or 'latest', got {version!r}")
    return int(version)
