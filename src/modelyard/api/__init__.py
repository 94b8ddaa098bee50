"""REST API (FastAPI) over the services."""

from modelyard.api._app import create_app

__all__ = ["create_app"]
