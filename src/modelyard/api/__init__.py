"""REST API (FastAPI) over the services."""

from modelyard.api._app import create_app
from modelyard.api._guard import HostPolicy

__all__ = ["HostPolicy", "create_app"]
