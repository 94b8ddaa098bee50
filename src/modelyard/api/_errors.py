"""The one place where errors become HTTP responses."""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from modelyard.errors import InvalidGraph, ModelyardError

log = logging.getLogger("modelyard.api")


def describe_validation(errors) -> str:
    parts = []
    for error in errors:
        if error.get("type") == "json_invalid":
            parts.append(f"request body is not valid JSON: {error.get('ctx', {}).get('error', 'decode error')}")
            continue
        location = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{location or 'body'}: {error.get('msg', '').removeprefix('Value error, ')}")
    return "; ".join(parts)


def install(app: FastAPI) -> None:
    @app.exception_handler(ModelyardError)
    async def modelyard_error(_request: Request, error: ModelyardError) -> JSONResponse:
        body = {"error": type(error).__name__, "detail": error.message}
        if isinstance(error, InvalidGraph):
            body["problems"] = error.problems
        return JSONResponse(body, status_code=error.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "InvalidInput", "detail": describe_validation(error.errors())}, status_code=400)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, error: Exception) -> JSONResponse:
        error_id = uuid.uuid4().hex[:12]
        log.exception("unexpected error %s", error_id)
        return JSONResponse({"error": "InternalError", "detail": f"internal error; see the server log, error id {error_id}"},
                            status_code=500)
