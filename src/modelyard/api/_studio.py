"""Serving the built studio (the React app in ui/) at ``/`` from the API's own server."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

STUDIO_DIST = Path(__file__).resolve().parents[1] / "studio"


def mount_studio(app: FastAPI) -> None:
    """Serve the studio's built files when they exist (``make`` builds them into modelyard/studio)."""
    if not (STUDIO_DIST / "index.html").is_file():
        return
    from fastapi.staticfiles import StaticFiles

    app.mount("/", StaticFiles(directory=STUDIO_DIST, html=True), name="studio")
