"""Every call the shim makes to the SDK's online-deployment methods, in one place: a v1 web service
is an online endpoint with one deployment, named ``default``."""

from __future__ import annotations

from typing import Any

DEPLOYMENT = "default"


def create(sdk: Any, endpoint: str, **fields: Any) -> None:
    sdk.online_endpoints.create_deployment(name=DEPLOYMENT, endpoint_name=endpoint, wait=False, **fields)


def wait(sdk: Any, endpoint: str, timeout: float):
    return sdk.online_endpoints.wait_deployment(endpoint, DEPLOYMENT, timeout)


def get(sdk: Any, endpoint: str):
    return sdk.online_endpoints.get_deployment(endpoint, DEPLOYMENT)


def logs(sdk: Any, endpoint: str, lines: int) -> str:
    return sdk.online_endpoints.deployment_logs(endpoint, DEPLOYMENT, lines)
