"""The end of a model version's lineage: which online deployments serve it."""

import pytest

from modelyard.errors import NotFound


def test_a_model_version_lists_the_deployments_serving_it(served):
    _, ws = served
    ws.online_endpoints.create(name="lineage")
    try:
        ws.online_endpoints.create_deployment(name="blue", endpoint_name="lineage", model="attrition:1", wait=False)
        ws.online_endpoints.create_deployment(name="green", endpoint_name="lineage", model="attrition@latest",
                                              wait=False)
        assert [(d.endpoint_name, d.name) for d in ws.models.deployments("attrition:1")] == [("lineage", "blue")]
        assert [d.name for d in ws.models.deployments("attrition:2")] == ["green"]

        ws.online_endpoints.update_deployment("lineage", "blue", model="attrition:2", wait=False)
        assert ws.models.deployments("attrition:1") == []
        assert [d.name for d in ws.models.deployments("attrition@latest")] == ["blue", "green"]

        ws.online_endpoints.delete_deployment("lineage", "green")
        assert [d.name for d in ws.models.deployments("attrition:2")] == ["blue"]
    finally:
        ws.online_endpoints.delete("lineage")
    assert ws.models.deployments("attrition:2") == []


def test_deployments_of_an_unknown_model_version_is_not_found(served):
    _, ws = served
    with pytest.raises(NotFound, match="attrition:9"):
        ws.models.deployments("attrition:9")
    with pytest.raises(NotFound, match="no alias '@nope'"):
        ws.models.deployments("attrition@nope")
