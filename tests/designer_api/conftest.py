"""One real workspace server per module for the Designer's REST, SDK and CLI tests."""

from __future__ import annotations

import pytest

from tests.server_fixtures import workspace_server


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(server info, SDK Workspace over HTTP, workspace root) of a server on a free loopback port."""
    root = tmp_path_factory.mktemp("designer") / "ws"
    with workspace_server(root, "designer") as (info, ws):
        yield info, ws, root


@pytest.fixture(scope="module")
def cluster(served, hr_csv):
    """employeeattrition:1 registered, the workshop's draft saved as 'attrition', a cluster to run it on."""
    from tests.designer.test_graph_rules import WORKSHOP

    _, ws, _ = served
    ws.data.create(name="employeeattrition", type="mltable", path=str(hr_csv), profile=False)
    ws.compute.create(name="cpu-cluster", type="cluster", min_instances=0, max_instances=1)
    ws.designer_drafts.create({"name": "attrition", "graph": WORKSHOP})
    return ws


@pytest.fixture(scope="module")
def trained(cluster):
    """The workshop's draft run to completion on the cluster: (SDK workspace, training run job name)."""
    from tests.designer_api.test_submit import finished

    run = cluster.designer_drafts.submit("attrition", compute="cpu-cluster")
    finished(cluster, run)
    return cluster, run.name
