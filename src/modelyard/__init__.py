"""modelyard: a self-hosted machine-learning workspace.

    from modelyard import Workspace
    ws = Workspace.from_config()
    df = ws.data.get("employeeattrition").to_pandas()
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Workspace", "__version__"]


def __getattr__(name: str):
    # Lazy, so that `modelyard --help` does not pay for httpx and pydantic models.
    if name == "Workspace":
        from modelyard.client import Workspace

        return Workspace
    raise AttributeError(f"module 'modelyard' has no attribute {name!r}")
