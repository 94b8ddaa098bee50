"""Serving the built studio (the React app in ui/) at ``/`` from the API's own server.

The studio is a single-page app: a path such as ``/data/hr/1`` is a client-side route, so any
GET that is not an API route and not a built file answers ``index.html`` (reloading a page
works). Paths under ``/api/`` never fall back: an unknown API route stays a JSON 404.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

STUDIO_DIST = Path(__file__).resolve().parents[1] / "studio"

# Prefixes the studio never answers for (the server's own routes live there).
SERVER_PREFIXES = ("api", "health", "docs", "redoc", "openapi.json")


def mount_studio(app: FastAPI) -> None:
    """Serve the studio's built files when they exist (``make`` builds them into modelyard/studio)."""
    if not (STUDIO_DIST / "index.html").is_file():
        return
    app.mount("/", _studio_files(STUDIO_DIST), name="studio")


def _studio_files(folder: Path):
    from starlette.exceptions import HTTPException
    from starlette.responses import FileResponse, JSONResponse
    from starlette.staticfiles import StaticFiles

    index = folder / "index.html"

    class StudioFiles(StaticFiles):
        async def get_response(self, path: str, scope):
            first = path.split("/", 1)[0]
            if first in SERVER_PREFIXES:
                return JSONResponse({"error": "NotFound", "detail": f"no route {scope['method']} /{path}"},
                                    status_code=404)
            try:
                response = await super().get_response(path, scope)
            except HTTPException as error:
                if error.status_code != 404:
                    raise
                response = None
            if response is not None and response.status_code != 404:
                if first == "assets":  # content-hashed names: cache forever
                    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
                elif response.media_type == "text/html":
                    response.headers["Cache-Control"] = "no-cache"
                return response
            if first == "assets" or ("/" not in path and "." in path):
                # a missing built file (an old hashed chunk, /favicon.ico, ...) is a real 404, not the app
                return JSONResponse({"error": "NotFound", "detail": f"no file /{path}"}, status_code=404)
            return FileResponse(index, headers={"Cache-Control": "no-cache"})

    return StudioFiles(directory=folder, html=True)
