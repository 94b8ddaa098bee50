"""The uvicorn settings both HTTP servers (the workspace server, a scoring process) run with."""

from __future__ import annotations


def fastest_stack() -> dict[str, str]:
    """uvloop and httptools where installed (the ``serve`` extra), else asyncio and h11."""
    try:
        import uvloop  # noqa: F401

        loop = "uvloop"
    except ImportError:
        loop = "asyncio"
    try:
        import httptools  # noqa: F401

        http = "httptools"
    except ImportError:
        http = "h11"
    return {"loop": loop, "http": http}
