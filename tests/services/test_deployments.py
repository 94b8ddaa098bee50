"""The services of online and batch endpoints: one set of deployment verbs, (endpoint, name) first, records out."""

import pickle
from pathlib import Path

import pytest
from sklearn.linear_model import LogisticRegression

from modelyard.errors import Conflict, InvalidInput, NotFound
from modelyard.services.batch_endpoints import BatchEndpointService
from modelyard.services.components import ComponentService
from modelyard.services.compute import ComputeService
from modelyard.services.data import DataAssetService
from modelyard.services.datastores import DatastoreService
from modelyard.services.endpoints import EndpointService
from modelyard.services.models import ModelService
from modelyard.spec.batch_endpoint import (
    BatchDeployment, BatchDeploymentCreate, BatchDeploymentUpdate, BatchEndpointCreate,
)
from modelyard.spec.endpoint import (
    OnlineDeployment, OnlineDeploymentCreate, OnlineDeploymentUpdate, OnlineEndpointCreate, OnlineEndpointUpdate,
)


@pytest.fixture
def context(ws, workspace_root: Path, tmp_path: Path):
    from modelyard.services import workspace as workspaces
    from modelyard.services._context import ServiceContext

    pickled = tmp_path / "model.pkl"
    pickled.write_bytes(pickle.dumps(LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])))
    for _ in range(2):
        ws.models.create(name="m", path=str(pickled), force_new_version=True)
    opened = ServiceContext.open(workspaces.load(workspace_root))
    yield opened
    opened.close()


def _online(context):
    service = EndpointService(context)
    service.create(OnlineEndpointCreate(name="ep"))
    return service, OnlineDeploymentCreate, OnlineDeploymentUpdate, OnlineDeployment


def _batch(context):
    service = BatchEndpointService(context)
    service.create(BatchEndpointCreate(name="ep"))
    return service, BatchDeploymentCreate, BatchDeploymentUpdate, BatchDeployment


@pytest.mark.parametrize("kind", [_online, _batch], ids=["online", "batch"])
def test_both_services_have_the_same_deployment_verbs(context, kind):
    service, create, update, record = kind(context)
    made = service.create_deployment(create(name="blue", endpoint_name="ep", model="m:1"))
    assert isinstance(made, record) and (made.name, made.endpoint_name, made.model_version) == ("blue", "ep", 1)
    with pytest.raises(Conflict, match="exists already"):
        service.create_deployment(create(name="blue", endpoint_name="ep", model="m:2"))
    replaced, created = service.create_or_update_deployment(create(name="blue", endpoint_name="ep", model="m:2"))
    assert (replaced.model_version, created) == (2, False)
    added, created = service.create_or_update_deployment(create(name="green", endpoint_name="ep", model="m:1"))
    assert (added.name, created) == ("green", True)
    assert service.get_deployment("ep", "blue").model_version == 2
    assert [d.name for d in service.list_deployments("ep")] == ["blue", "green"]
    assert service.update_deployment("ep", "green", update(model="m:2")).model_version == 2
    with pytest.raises(InvalidInput, match="model"):
        service.update_deployment("ep", "green", update(model="m:9"))
    assert service.get_deployment("ep", "green").model_version == 2, "a refused update changes nothing"
    service.delete_deployment("ep", "green")
    assert all(isinstance(d, record) for d in service.list_deployments("ep"))
    assert [d.name for d in service.list_deployments("ep")] == ["blue"]
    with pytest.raises(NotFound, match="has no deployment 'green'; 'modelyard .*-deployment list --endpoint-name ep'"):
        service.get_deployment("ep", "green")
    with pytest.raises(NotFound, match="endpoint 'nowhere' not found; 'modelyard .*-endpoint list' shows them"):
        service.list_deployments("nowhere")


def test_a_batch_update_is_checked_like_a_new_deployment(context):
    service = _batch(context)[0]
    service.create_deployment(BatchDeploymentCreate(name="blue", endpoint_name="ep", model="m:1", mini_batch_size=5))
    with pytest.raises(InvalidInput, match="mini_batch_size"):
        service.update_deployment("ep", "blue", BatchDeploymentUpdate(mini_batch_size=0))
    changed = service.update_deployment("ep", "blue", BatchDeploymentUpdate(error_threshold=3, description="d"))
    assert (changed.mini_batch_size, changed.error_threshold, changed.description) == (5, 3, "d")


def test_the_supervisor_sees_plain_records_and_its_state_applies_to_the_generation_it_ran(context):
    service = _online(context)[0]
    service.create_deployment(OnlineDeploymentCreate(name="blue", endpoint_name="ep", model="m:1"))
    [first] = service.desired_deployments()
    assert (first.endpoint, first.name, first.generation, first.state) == ("ep", "blue", 1, "Creating")
    service.update_deployment("ep", "blue", OnlineDeploymentUpdate(instance_count=2))
    service.set_deployment_state(first, "Succeeded", None)  # generation 1 finished after the update came
    assert service.get_deployment("ep", "blue").state == "Updating"
    [second] = service.desired_deployments()
    service.set_deployment_state(second, "Succeeded", None)
    assert service.get_deployment("ep", "blue").state == "Succeeded"
    service.forget_deployment(second)
    assert service.get_deployment("ep", "blue").name == "blue", "only a deleted deployment is forgotten"
    service.update("ep", OnlineEndpointUpdate(traffic={}))
    service.delete_deployment("ep", "blue")
    [deleting] = service.desired_deployments()
    service.forget_deployment(deleting)
    assert service.desired_deployments() == []


@pytest.mark.parametrize("read", [
    lambda c: ComputeService(c).get("gpu"),
    lambda c: DatastoreService(c).get("lake"),
    lambda c: ComponentService(c).get("prep:1"),
    lambda c: ModelService(c).get("nomodel:1"),
    lambda c: DataAssetService(c).get("nodata", 1),
], ids=["compute", "datastore", "component", "model", "data"])
def test_a_missing_thing_is_not_found_with_the_command_that_lists_them(context, read):
    with pytest.raises(NotFound, match=r"not found; 'modelyard [a-z]+ list' shows"):
        read(context)
