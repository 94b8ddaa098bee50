"""Services: every rule about a noun lives in its module here.

``ServiceContext`` (the workspace's database and artifact store, shared by every service) is the
one name the drivers above (api/, runtime/) build services from; it is resolved lazily, so that
importing one service module does not pay for the database layer.
"""

from __future__ import annotations

import importlib

__all__ = ["ServiceContext"]


def __getattr__(name: str):
    if name == "ServiceContext":
        return importlib.import_module("modelyard.services._context").ServiceContext
    raise AttributeError(f"module 'modelyard.services' has no attribute {name!r}")
