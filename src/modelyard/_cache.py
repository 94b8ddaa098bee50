"""The user's cache folder: what can be rebuilt at any time (downloaded data, store templates)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    return Path(os.environ.get("MODELYARD_CACHE", Path.home() / ".cache" / "modelyard"))
