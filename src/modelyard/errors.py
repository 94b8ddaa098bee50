"""The one hierarchy of errors modelyard raises on purpose.

The API maps each class to an HTTP status in one place (``api/_errors.py``); the CLI prints the
message and exits non-zero. Messages name the offending thing and, where possible, the fix.
"""

from __future__ import annotations


class ModelyardError(Exception):
    """Base of every error modelyard raises deliberately."""

    status_code = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(ModelyardError, ValueError):
    """The request or file is malformed or breaks a rule."""

    status_code = 400


class InvalidGraph(InvalidInput):
    """A pipeline graph breaks named rules; ``problems`` lists each (rule, where, message, node), so a
    canvas can show each one next to its node."""

    def __init__(self, message: str, problems: list[dict] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class Unauthorized(ModelyardError):
    """Credentials are missing or wrong."""

    status_code = 401


class Forbidden(ModelyardError):
    """The caller is known (or needs no credentials) but may not do this from where it asks."""

    status_code = 403


class NotFound(ModelyardError, LookupError):
    """The named thing does not exist."""

    status_code = 404


class Conflict(ModelyardError):
    """The thing exists already, or is in a state that forbids the change."""

    status_code = 409


class PayloadTooLarge(ModelyardError):
    status_code = 413


class UnsupportedMediaType(ModelyardError):
    """The request body has a content type the route does not take."""

    status_code = 415


class TimeLimitExceeded(ModelyardError):
    """The work took longer than the server allows a request; it was stopped and nothing was kept."""

    status_code = 503


class Unreachable(InvalidInput):
    """A datastore, server or remote source named in the request could not be reached."""

    status_code = 400


ERRORS_BY_NAME = {
    cls.__name__: cls
    for cls in (ModelyardError, InvalidInput, InvalidGraph, Unauthorized, Forbidden, NotFound, Conflict,
                PayloadTooLarge, UnsupportedMediaType, Unreachable, TimeLimitExceeded)
}
