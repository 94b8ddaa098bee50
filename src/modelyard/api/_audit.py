"""The audit trail's layer: every mutating call under ``/api`` (not the scoring route, which is data plane)
leaves one record, failed calls included, written before the caller gets the answer.

The record names the noun and verb from the route's ``operation_id`` (``createOnlineDeployment`` ->
create, online-deployment), the thing from the path (or, for a create, the answer's name and
version), who called (the token's fingerprint, or the server's OS user when it needs no token), the
reason from the ``X-Modelyard-Reason`` header, and the store rows the call changed (secrets masked).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import re
from typing import Any
from urllib.parse import unquote

from modelyard.api._scoring import PREFIXES as SCORING_PREFIXES
from modelyard.errors import InvalidInput
from modelyard.services._audit_changes import collecting
from modelyard.services.audit import AuditService
from modelyard.spec.audit import MAX_REASON, REASON_HEADER
from modelyard.store import utcnow

log = logging.getLogger("modelyard.api")
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REASON_KEY = REASON_HEADER.lower().encode()
LONGEST_ANSWER = 64 * 1024  # a longer answer goes out without being read for the created thing's name
# (verb, noun) where the operation_id does not read as one
OPERATIONS = {
    "createDataAsset": ("create", "data"), "updateDataAsset": ("update", "data"),
    "computeDataProfile": ("profile", "data"), "previewDataSource": ("preview", "data"),
    "getEndpointCredentials": ("get-keys", "online-endpoint"),
    "regenerateEndpointKeys": ("regenerate-keys", "online-endpoint"),
    "deleteDesignerDraftVersion": ("delete", "designer-draft"), "validateDesignerGraph": ("validate", "designer-draft"),
    "refitTrialModel": ("refit", "job"), "explainTrial": ("explain", "job"), "uploadFile": ("upload", "file"),
}
WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def identity(token: str | None) -> str:
    """Who a caller is: the token's fingerprint, or (an open server, on loopback) the local OS user."""
    if token is not None:
        return f"token:{hashlib.sha256(token.encode()).hexdigest()[:12]}"
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container's user)
        return f"uid:{os.getuid()}"


class AuditTrail:
    """Pure ASGI middleware inside the token check: a call refused for its token leaves no record (nor can
    anyone without the token grow the trail)."""

    def __init__(self, app, who: str, context_of) -> None:
        self.app = app
        self.who = who
        self.context_of = context_of

    async def __call__(self, scope, receive, send) -> None:
        if (scope["type"] != "http" or scope["method"] not in MUTATING or not scope["path"].startswith("/api/")
                or scope["path"].startswith(SCORING_PREFIXES)):
            await self.app(scope, receive, send)
            return
        at = utcnow()
        reason, refusal = _reason(scope)
        answer = _Answer(send)
        receive = answer.reading(receive)
        if refusal is not None:
            from starlette.responses import JSONResponse

            response = JSONResponse({"error": type(refusal).__name__, "detail": refusal.message}, status_code=400)
            await response(scope, receive, answer.hold)  # refused before its route: named by method and path
            await self._record(scope, at, reason, answer, [])
            return
        with collecting() as changes:
            try:
                await self.app(scope, receive, answer.hold)
            except BaseException:
                await self._record(scope, at, reason, answer, changes)
                raise
        await self._record(scope, at, reason, answer, changes)

    async def _record(self, scope, at, reason, answer: "_Answer", changes: list) -> None:
        """Append the call's record, then let its answer go."""
        status = answer.status or 500
        entry = _describe(scope, status, answer.json(), answer.request_json())
        entry.update(status=status, at=at, who=self.who, client=(scope.get("client") or (None,))[0],
                     method=scope["method"], path=scope["path"], reason=reason, diff=changes)
        from starlette.concurrency import run_in_threadpool

        try:
            await run_in_threadpool(AuditService(self.context_of()).append, entry)
        except Exception:  # the call itself is done: answer it, and say loudly that its record is missing
            log.exception("could not write the audit record of %s %s", scope["method"], scope["path"])
        await answer.release()


class _Answer:
    """The response, held until its record is written (the start and a JSON body of bounded size); and
    the request's body, kept while short (to name the thing a failed create would have made)."""

    def __init__(self, send) -> None:
        self.send = send
        self.status: int | None = None
        self.held: list[dict] = []
        self.body = bytearray()
        self.request = bytearray()

    def reading(self, receive):
        async def read():
            message = await receive()
            if message["type"] == "http.request" and len(self.request) <= LONGEST_ANSWER:
                self.request += message.get("body", b"")
            return message

        return read

    async def hold(self, message: dict) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")
            if len(self.body) > LONGEST_ANSWER:
                self.body = bytearray()  # too long to read: its name is in the path, if anywhere
        self.held.append(message)

    def json(self) -> Any:
        return _parsed(self.body) if (self.status or 500) < 300 else None

    def request_json(self) -> Any:
        return _parsed(self.request) if len(self.request) <= LONGEST_ANSWER else None

    async def release(self) -> None:
        held, self.held = self.held, []
        for message in held:
            await self.send(message)


def _parsed(body: bytes) -> Any:
    if not body or body[:1] not in (b"{", b"["):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def _reason(scope) -> tuple[str | None, InvalidInput | None]:
    for key, value in scope.get("headers", ()):
        if key == REASON_KEY:
            text = unquote(value.decode("latin-1"), errors="strict") if value else ""
            if len(text) > MAX_REASON:
                return text[:MAX_REASON], InvalidInput(
                    f"{REASON_HEADER} is {len(text)} characters long; keep the reason under {MAX_REASON}")
            return text.strip() or None, None
    return None, None


def _describe(scope, status: int, answer: Any, request: Any) -> dict[str, Any]:
    """noun, verb, name and version of the call: from the path, else the answer (a create's name), else the
    request's body (what a failed create asked for)."""
    route = scope.get("route")
    matched = route is not None and scope["method"] in (getattr(route, "methods", None) or ())
    operation = getattr(route, "operation_id", None) if matched else None
    if operation in OPERATIONS:
        verb, noun = OPERATIONS[operation]
    elif operation:
        first, *rest = WORDS.findall(operation)
        verb, noun = first.lower(), "-".join(word.lower() for word in rest)
        if verb == "put":
            verb = "create" if status == 201 else "update"
    else:  # no route: the path's first part
        verb, noun = scope["method"].lower(), scope["path"].removeprefix("/api/").split("/", 1)[0] or "api"
    params = dict(scope.get("path_params") or {}) if matched else {}
    version = params.pop("version", None)
    names = [str(value) for value in params.values()]
    named = answer if isinstance(answer, dict) and "name" in answer else request
    if isinstance(named, dict):
        if isinstance(named.get("name"), str) and named["name"] not in names:
            names.append(named["name"])
        if version is None and isinstance(named.get("version"), (str, int)):
            version = named["version"]
    return {"noun": noun, "verb": verb, "name": "/".join(names) or None,
            "version": None if version is None else str(version)}
