"""``azureml.core.compute``: ``ComputeTarget`` and ``AmlCompute`` over modelyard's clusters."""

from __future__ import annotations

import time
import warnings
from typing import Any

from modelyard.azureml._v1 import RefuseOtherMembers, V1ArgumentWarning, get_or_v1_error, module_getattr
from modelyard.azureml.core.compute_target import ComputeTargetException

__all__ = ["AmlCompute", "ComputeTarget"]

__getattr__ = module_getattr("azureml.core.compute", {
    "ComputeInstance": "`modelyard compute create --type instance` (compute instances)"})


class ComputeTarget(RefuseOtherMembers):
    def __init__(self, workspace: Any, name: str) -> None:
        self.workspace = workspace
        self.name = name
        self._record = get_or_v1_error(workspace.sdk.compute, name, ComputeTargetException, "Compute Target",
                                       "create it with ComputeTarget.create")
        self.type = "AmlCompute" if self._record.type == "cluster" else self._record.type

    @staticmethod
    def create(workspace: Any, name: str, provisioning_configuration: dict[str, Any]) -> "ComputeTarget":
        record = workspace.sdk.compute.create({**provisioning_configuration, "name": name})
        for note in record.notes:
            warnings.warn(f"ComputeTarget.create({name!r}): {note}", V1ArgumentWarning, stacklevel=2)
        return ComputeTarget(workspace, name)

    @staticmethod
    def list(workspace: Any) -> list["ComputeTarget"]:
        return [ComputeTarget(workspace, c.name) for c in workspace.sdk.compute.list()]

    @property
    def provisioning_state(self) -> str:
        return self.workspace.sdk.compute.get(self.name).provisioning_state

    def get_status(self) -> Any:
        return self.workspace.sdk.compute.get(self.name)

    def wait_for_completion(self, show_output: bool = False, min_node_count: int | None = None,
                            timeout_in_minutes: float = 20, is_delete_operation: bool = False) -> None:
        deadline = time.monotonic() + timeout_in_minutes * 60
        while (state := self.provisioning_state) == "Creating" and time.monotonic() < deadline:
            time.sleep(0.5)
        if show_output:
            print(f"{self.name}: {state}")
        if state == "Failed":
            raise ComputeTargetException(f"compute {self.name} failed: "
                                         f"{self.workspace.sdk.compute.get(self.name).provisioning_errors}")

    def delete(self) -> None:
        self.workspace.sdk.compute.delete(self.name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, type={self._record.type!r})"


class AmlCompute(ComputeTarget):
    @staticmethod
    def provisioning_configuration(vm_size: str = "", vm_priority: str = "dedicated", min_nodes: int = 0,
                                   max_nodes: int | None = None, idle_seconds_before_scaledown: int | None = None,
                                   tags: dict[str, str] | None = None, description: str | None = None,
                                   location: str | None = None, **more: Any) -> dict[str, Any]:
        """The cluster's fields; Azure-only ones (VM size, priority, location) are recorded with a note."""
        fields = {"type": "cluster", "size": vm_size or None,
                  "tier": {"lowpriority": "low_priority"}.get(vm_priority.lower(), vm_priority.lower()),
                  "min_instances": min_nodes, "max_instances": max_nodes or max(min_nodes, 1),
                  "idle_time_before_scale_down": idle_seconds_before_scaledown, "tags": tags,
                  "description": description, "location": location}
        if more:
            warnings.warn(f"AmlCompute.provisioning_configuration: {', '.join(sorted(more))} not honoured locally; "
                          "a cluster is worker processes on the server's machine", V1ArgumentWarning, stacklevel=2)
        return {key: value for key, value in fields.items() if value is not None}
