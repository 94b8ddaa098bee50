"""URLs: shown without their secrets, and downloaded."""

from __future__ import annotations

from pathlib import Path
from typing import Callable


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


def download(url: str, folder: Path, check: Callable[[str], None] | None = None) -> Path:
    """GET ``url`` into ``folder`` under its last path segment; raises ``httpx.HTTPError`` (an error status too).
    ``check`` sees the URL of every request, redirects included, and raises to refuse one."""
    import httpx

    target = folder / (url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or "download")
    hooks = {"request": [lambda request: check(str(request.url))]} if check else {}
    with httpx.Client(follow_redirects=True, timeout=60, event_hooks=hooks) as client, \
            client.stream("GET", url) as response:
        response.raise_for_status()
        with target.open("wb") as out:
            for chunk in response.iter_bytes(1 << 20):
                out.write(chunk)
    return target
