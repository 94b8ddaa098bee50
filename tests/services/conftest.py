"""Fixtures for service tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def context(workspace_root):
    """The services' handles on a fresh workspace, with no server."""
    from modelyard.services import workspace as workspaces
    from modelyard.services._context import ServiceContext

    context = ServiceContext.open(workspaces.load(workspace_root))
    yield context
    context.close()
