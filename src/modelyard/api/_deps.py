"""Request-scoped access to the services the app holds."""

from __future__ import annotations

from typing import TypeVar

from fastapi import Request, Response

from modelyard.errors import InvalidInput
from modelyard.services._context import ServiceContext

T = TypeVar("T")


def context(request: Request) -> ServiceContext:
    return request.app.state.context


def parse_version(version: str) -> int | None:
    """``latest`` → None, a positive integer → itself."""
    if version == "latest":
        return None
    if not version.isdigit() or int(version) < 1:
        raise InvalidInput(f"version must be a positive integer or 'latest', got {version!r}")
    return int(version)


def created_or_replaced(response: Response, result: T, created: bool) -> T:
    """A PUT's answer: 201 when it created the thing, 200 when it replaced one."""
    response.status_code = 201 if created else 200
    return result
