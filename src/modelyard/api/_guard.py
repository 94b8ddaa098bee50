"""What the workspace server trusts about where a request comes from, checked before anything else.

A web page in the user's browser can reach a loopback server: by DNS rebinding (its own name
resolving to 127.0.0.1, so the request carries a foreign ``Host``) or by a cross-site form post
(a foreign ``Origin`` and a body type a form can send without asking the server first). So:

- ``Host`` must be one of the server's names: loopback names and addresses, the bound address,
  any IP address when bound to all interfaces (an address cannot be rebound), and the names in
  ``server.allowed_hosts`` of ``workspace.yaml``; else 400.
- A state-changing request whose ``Origin`` (or, without one, ``Referer``) is not the server's own
  origin is refused with 403. Browsers send ``Origin`` on every cross-origin POST; curl, the SDK
  and the CLI send none and are not concerned. The scoring route is covered too.
- JSON routes refuse the body types a form can send (``application/x-www-form-urlencoded``,
  ``multipart/form-data``, ``text/plain``) with 415; the upload routes take multipart, and only
  from the server's own origin or from non-browser clients, by the rule above.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from modelyard.api._scoring import ROUTE as SCORING_ROUTE
from modelyard.errors import Forbidden, InvalidInput, ModelyardError, UnsupportedMediaType

LOOPBACK_NAMES = frozenset({"localhost"})
ALL_INTERFACES = frozenset({"0.0.0.0", "::", ""})
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})
UPLOAD_ROUTES = frozenset({"/api/uploads", "/api/snapshots"})
UPLOAD_PREFIXES = ("/api/notebooks/",)  # PUT only: never a simple cross-origin request
ALLOWED_HOSTS_SETTING = "server.allowed_hosts in .modelyard/workspace.yaml"
CACHE_SIZE = 1024


@dataclass(frozen=True)
class HostPolicy:
    """The names a server answers to: ``bound`` is the address it listens on, ``names`` the configured ones."""

    bound: str
    names: frozenset[str] = frozenset()

    @classmethod
    def of(cls, bound: str, names: Iterable[str] = ()) -> "HostPolicy":
        return cls(bound=_normal(bound), names=frozenset(name.strip().lower() for name in names))

    def allows(self, host: str) -> bool:
        name = _hostname(host)
        if name is None:
            return False
        if name in LOOPBACK_NAMES or name in self.names or name == self.bound:
            return True
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return False
        return address.is_loopback or self.bound in ALL_INTERFACES

    def own_origin(self, origin: str, host: str) -> bool:
        """Whether ``origin`` (scheme://name[:port]) is this server's, as reached through ``host``."""
        try:
            parts = urlsplit(origin)
            hostname = parts.hostname
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or not hostname:
            return False
        return parts.netloc.lower() == host.lower() or hostname in self.names


class RequestGuard:
    """Pure ASGI middleware, outermost, so that it also covers the scoring route."""

    def __init__(self, app, policy: HostPolicy) -> None:
        self.app = app
        self.policy = policy
        self._hosts: dict[str, bool] = {}
        self._origins: dict[tuple[str, str], bool] = {}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" or scope["type"] == "websocket":
            error = self.refusal(scope)
            if error is not None:
                from starlette.responses import JSONResponse

                response = JSONResponse({"error": type(error).__name__, "detail": error.message},
                                        status_code=error.status_code)
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                else:
                    await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def refusal(self, scope) -> ModelyardError | None:
        host = origin = referer = content_type = ""
        for key, value in scope.get("headers", ()):  # ASGI header names are lowercase; the last one counts
            if key == b"host":
                host = value.decode("latin-1")
            elif key == b"origin":
                origin = value.decode("latin-1")
            elif key == b"referer":
                referer = value.decode("latin-1")
            elif key == b"content-type":
                content_type = value.decode("latin-1")
        if not _cached(self._hosts, host, self.policy.allows):
            return InvalidInput(f"host not allowed: {host!r} is not a name of this server (a page may be "
                                f"rebinding its own name to it); use 127.0.0.1 or localhost, or add the name to "
                                f"{ALLOWED_HOSTS_SETTING}")
        method = scope.get("method", "GET") if scope["type"] == "http" else "POST"
        if method not in STATE_CHANGING:
            return None
        origin = origin or _origin_of(referer)
        if origin is not None and not _cached(self._origins, (origin, host), self._own_origin):
            return Forbidden(f"cross-origin request refused: origin {origin!r} is not this server's "
                             f"(http://{host}); use the studio served here, or a client that is not a web page "
                             f"(the CLI, the SDK, curl)")
        if not content_type:
            return None
        path = scope.get("path", "")
        media_type = content_type.split(";", 1)[0].strip().lower()
        if (media_type in FORM_TYPES and path.startswith("/api/") and path not in UPLOAD_ROUTES
                and not (method == "PUT" and path.startswith(UPLOAD_PREFIXES)) and not SCORING_ROUTE.match(path)):
            return UnsupportedMediaType(f"{method} {path} takes a JSON body, not {media_type}: send it with "
                                        f"Content-Type: application/json")
        return None

    def _own_origin(self, pair: tuple[str, str]) -> bool:
        return self.policy.own_origin(*pair)


def _cached(cache: dict, key, compute) -> bool:
    """``compute(key)``, remembered: the same few hosts and origins come on every request (bounded, as
    clients choose them)."""
    answer = cache.get(key)
    if answer is None:
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        answer = cache[key] = compute(key)
    return answer


def _hostname(host: str) -> str | None:
    """The name in a ``Host`` header (``[::1]:8686`` -> ``::1``), or None when it is not one."""
    if not host or any(c in host for c in "/?#@ \\"):
        return None
    try:
        parts = urlsplit(f"//{host}")
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return None
    return _normal(parts.hostname or "") or None


def _normal(name: str) -> str:
    name = name.strip().lower().removeprefix("[").removesuffix("]")
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return name


def _origin_of(referer: str | None) -> str | None:
    if not referer:
        return None
    try:
        parts = urlsplit(referer)
    except ValueError:
        return referer
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else referer
