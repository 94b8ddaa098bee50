"""Showing URLs without their secrets."""

from __future__ import annotations


def hide_password(url: str) -> str:
    """``scheme://user:secret@host/path`` as ``scheme://user:***@host/path``; other text unchanged."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
    except ValueError:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))
