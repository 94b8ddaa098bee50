"""One REST client for the SDK and the CLI: over HTTP to a server, or in-process (embedded)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from modelyard.errors import (
    ERRORS_BY_NAME, Conflict, InvalidGraph, InvalidInput, ModelyardError, NotFound, Unauthorized, Unreachable,
)
from modelyard.spec.audit import REASON_HEADER


class ApiClient:
    def __init__(self, http: httpx.Client, closer=None) -> None:
        self.http = http
        self._closer = closer

    @classmethod
    def remote(cls, url: str, token: str | None = None, timeout: float = 300) -> "ApiClient":
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return cls(httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=timeout))

    @classmethod
    def embedded(cls, location) -> "ApiClient":
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # starlette's notice about its httpx dependency
            from fastapi.testclient import TestClient

        from modelyard.api import create_app

        client = TestClient(create_app(location), raise_server_exceptions=False)
        client.__enter__()
        return cls(client, closer=lambda: client.__exit__(None, None, None))

    @property
    def reason(self) -> str | None:
        return self.http.headers.get(REASON_HEADER)

    @reason.setter
    def reason(self, text: str | None) -> None:
        """Sent with every call, for the audit trail (percent-encoded: a header carries ASCII only)."""
        if text:
            self.http.headers[REASON_HEADER] = quote(text, safe=" !\"#$&'()*+,-./:;<=>?@[]^_`{|}~")
        else:
            self.http.headers.pop(REASON_HEADER, None)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """The answer's JSON (bytes when it is not JSON, None when empty)."""
        return self.body(self.send(method, path, **kwargs))

    def send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The whole response of a call that succeeded (for its headers); failures raise ModelyardError."""
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.TransportError as error:
            raise Unreachable(f"cannot reach the modelyard server at {self.http.base_url}: {error}") from None
        if response.status_code >= 400:
            raise self._error(response)
        return response

    @staticmethod
    def body(response: httpx.Response) -> Any:
        if response.status_code == 204 or not response.content:
            return None
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response.content

    def stream_to(self, path: str, target) -> None:
        with self.http.stream("GET", path) as response:
            if response.status_code >= 400:
                response.read()
                raise self._error(response)
            for chunk in response.iter_bytes(1 << 20):
                target.write(chunk)

    @staticmethod
    def _error(response: httpx.Response) -> ModelyardError:
        problems = None
        try:
            body = response.json()
            kind, detail, problems = body.get("error"), body.get("detail"), body.get("problems")
        except ValueError:
            kind, detail = None, response.text[:500]
        if detail is None and kind and kind not in ERRORS_BY_NAME:  # a scoring process says {"error": message}
            kind, detail = None, kind
        cls = ERRORS_BY_NAME.get(kind or "", None) or {400: InvalidInput, 401: Unauthorized, 404: NotFound,
                                                       409: Conflict}.get(response.status_code, ModelyardError)
        error = cls(detail or f"HTTP {response.status_code}")
        error.status_code = response.status_code
        if isinstance(error, InvalidGraph):
            error.problems = problems or []
        return error

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)

    def close(self) -> None:
        if self._closer:
            self._closer()
        else:
            self.http.close()
