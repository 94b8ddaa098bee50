"""The one error type of the request path: an HTTP status and a message safe to show the caller."""

from __future__ import annotations


class RequestError(Exception):
    """A request refused with ``status`` (400, 413, 429, 503, 504...) and a reason for the caller.

    The message never holds a traceback or server paths: it names the column, row and value
    at fault, or the limit that was passed.
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def __repr__(self) -> str:
        return f"RequestError({self.status}, {self.message!r})"
