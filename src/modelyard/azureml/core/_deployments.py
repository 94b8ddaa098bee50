"""Every call the shim makes to the SDK's online-deployment methods, in one place: a v1 web service
is an online endpoint with one deployment, named ``default``."""

from __future__ import annotations

from typing import Any

DEPLOYMENT = "default"
REPLACE_TIMEOUT_SECONDS = 120


def create(sdk: Any, endpoint: str, replacing: bool = False, **fields: Any) -> None:
    """The deployment, created; ``replacing`` a service just deleted, whose deployment of the same name is still
    being removed in the background, it is tried again until that is done (at most REPLACE_TIMEOUT_SECONDS)."""
    import time

    from modelyard.errors import Conflict

    deadline = time.monotonic() + REPLACE_TIMEOUT_SECONDS
    while True:
        try:
            sdk.online_endpoints.create_deployment(name=DEPLOYMENT, endpoint_name=endpoint, wait=False, **fields)
            return
        except Conflict:
            if not replacing or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def wait(sdk: Any, endpoint: str, timeout: float):
    return sdk.online_endpoints.wait_deployment(endpoint, DEPLOYMENT, timeout)


def get(sdk: Any, endpoint: str):
    return sdk.online_endpoints.get_deployment(endpoint, DEPLOYMENT)


def logs(sdk: Any, endpoint: str, lines: int) -> str:
    return sdk.online_endpoints.deployment_logs(endpoint, DEPLOYMENT, lines)
