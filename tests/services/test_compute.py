"""Compute targets through the SDK: rules on instance settings, stop/start, deletion."""

import pytest

from modelyard.errors import Conflict, InvalidInput, NotFound


def test_local_is_built_in_and_clusters_validate_their_bounds(ws):
    assert [c.name for c in ws.compute.list()] == ["local"]
    assert ws.compute.get("local").config["max_instances"] == 1
    with pytest.raises(InvalidInput, match="min_instances"):
        ws.compute.create(name="c", type="cluster", min_instances=3, max_instances=1)
    with pytest.raises(Conflict):
        ws.compute.create(name="local", type="cluster")
    created = ws.compute.create(name="cpucluster", type="amlcompute", max_instances=4, idle_time_before_scale_down=120)
    assert (created.type, created.provisioning_state, created.instances.current) == ("cluster", "Succeeded", 0)
    with pytest.raises(Conflict, match="exists already"):
        ws.compute.create(name="cpucluster", type="cluster")


def test_update_stop_start_and_delete(ws):
    ws.compute.create(name="pool", type="cluster", max_instances=2)
    assert ws.compute.update("pool", max_instances=3).config["max_instances"] == 3
    with pytest.raises(InvalidInput, match="exceeds"):
        ws.compute.update("pool", min_instances=5)
    assert ws.compute.stop("pool").provisioning_state == "Stopped"
    assert ws.compute.start("pool").provisioning_state == "Succeeded"
    ws.compute.delete("pool")
    with pytest.raises(NotFound):
        ws.compute.get("pool")
    with pytest.raises(Conflict):
        ws.compute.delete("local")


def test_a_compute_with_queued_jobs_cannot_be_deleted(ws):
    ws.compute.create(name="busy", type="cluster", max_instances=1)
    ws._api.post("/api/jobs", json={"type": "command", "command": "true", "compute": "busy"})  # no server: stays queued
    assert ws.compute.get("busy").queued_jobs == 1
    with pytest.raises(Conflict, match="queued or running"):
        ws.compute.delete("busy")


def test_azure_cluster_fields_are_recorded_and_noted(ws):
    """An AmlCompute YAML as Azure's docs write it: accepted, recorded (no password), each field noted."""
    created = ws.compute.create(
        name="cpu-cluster", type="amlcompute", size="Standard_DS2_v2", tier="LowPriority", location="westeurope",
        min_instances=0, max_instances=2, idle_time_before_scale_down=120, ssh_public_access_enabled=False,
        ssh_settings={"admin_username": "azureuser", "admin_password": "s3cret!"},
        identity={"type": "system_assigned"}, tags={"team": "hr"})
    azure = created.config["azure"]
    assert azure["size"] == "Standard_DS2_v2" and azure["tier"] == "low_priority" and azure["location"] == "westeurope"
    assert azure["ssh_settings"] == {"admin_username": "azureuser"} and "s3cret" not in str(created)
    assert created.config["max_instances"] == 2 and "size" not in created.config
    assert any(n.startswith("size (Standard_DS2_v2) is recorded but has no local effect") for n in created.notes)
    assert {n.split(" ")[0] for n in created.notes} == {"size", "tier", "location", "ssh_public_access_enabled",
                                                        "ssh_settings", "identity", "tags"}
    assert ws.compute.get("cpu-cluster").notes == created.notes
    assert ws.compute.create(name="plain", type="cluster").notes == []
    with pytest.raises(InvalidInput, match="tier"):
        ws.compute.create(name="spot", type="amlcompute", tier="spot")
