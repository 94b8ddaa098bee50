"""What Azure ML YAML brings that has no meaning here: curated environment names and cloud-only
compute fields. Such a field is accepted and recorded, and a note says it has no local effect;
what cannot be honoured is refused with a sentence saying what to write instead."""

from __future__ import annotations

import re
from typing import Any

from modelyard.spec.environment import is_reference

# Azure's curated environments are named AzureML-<family>-...; in the azureml registry the prefix is dropped.
_REFERENCE = re.compile(r"^azureml:(?P<registry>//registries/azureml/environments/)?(?P<name>[^:@/]+)(?P<rest>.*)$",
                        re.IGNORECASE)
# families whose packages the server's interpreter has (scikit-learn, LightGBM, XGBoost, MLflow, pandas)
SYSTEM_FAMILIES = frozenset({"sklearn", "lightgbm", "xgboost", "minimal", "automl", "responsibleai", "mlflow"})
_WRITE_INSTEAD = ("write 'environment: system' (the server's interpreter), a registered environment "
                  "('azureml:attrition-env:3', 'azureml:attrition-env@latest'; 'modelyard environment list' shows them) "
                  "or a Python environment such as "
                  "'environment: {python: \"3.11\", pip: [scikit-learn, pandas]}' (python:, pip: and requirements: are read)")


def curated_environment(value: Any) -> str | None:
    """The curated environment's name when ``value`` names one that the system environment stands for;
    ValueError (a sentence saying what to write) for any other curated one; None otherwise (an
    ``azureml:name:3`` of this workspace's registered environments among them)."""
    if not isinstance(value, str):
        return None
    match = _REFERENCE.match(value.strip())
    if match is None:
        return None
    name = match["name"]
    curated = bool(match["registry"]) or name.lower().startswith("azureml-")
    family = name.split("-")[1 if name.lower().startswith("azureml-") else 0].lower()
    if curated and family in SYSTEM_FAMILIES:
        return name
    if curated:
        raise ValueError(f"'{value}' is an Azure ML curated environment with no local equivalent here "
                         f"(only the {', '.join(sorted(SYSTEM_FAMILIES))} ones map to the server's interpreter): "
                         + _WRITE_INSTEAD)
    return None


def environment_note(value: Any) -> str | None:
    """The note for a curated environment name the system environment stands for, else None."""
    name = curated_environment(value)
    return None if name is None else (f"environment '{value}': the curated environment {name} is served by the "
                                      "server's own interpreter (environment: system) here")


def environment_notes(job: dict[str, Any]) -> list[str]:
    """Notes for the curated environment names in a job's (or a pipeline's steps') YAML fields."""
    specs = [job, *[step for step in (job.get("jobs") or {}).values() if isinstance(step, dict)]]
    return [note for spec in specs if (note := _note_or_none(spec.get("environment")))]


def _note_or_none(value: Any) -> str | None:
    try:
        return environment_note(value)
    except ValueError:  # refused when the job is validated, with the sentence
        return None


def system_for_curated(value: Any) -> Any:
    """A before-validator: a curated name the system environment stands for becomes 'system'; a
    registered environment's reference stays (the job is refused at submit if it names none); any
    other name is refused with a sentence saying what to write."""
    if curated_environment(value):
        return "system"
    if isinstance(value, str) and value != "system" and not is_reference(value):
        raise ValueError(f"'{value}' is not an environment here: " + _WRITE_INSTEAD)
    return value


# Azure AmlCompute fields with no local effect, and why.
COMPUTE_FIELDS_WITHOUT_EFFECT = {
    "size": "instances are worker processes on the server's machine, not VMs",
    "tier": "instances are never pre-empted",
    "location": "the cluster runs where the workspace server runs",
    "identity": "jobs run as the server's user",
    "ssh_public_access_enabled": "instances are processes; there is no node to reach over SSH",
    "ssh_settings": "instances are processes; there is no node to reach over SSH",
    "network_settings": "instances are processes on the server's network",
    "enable_node_public_ip": "instances are processes on the server's network",
    "tags": "recorded only",
}
NOT_RECORDED = ("admin_password",)  # secrets are never written to the store


def compute_notes(azure: dict[str, Any]) -> list[str]:
    """One sentence per recorded Azure field that changes nothing here."""
    notes = []
    for key, value in azure.items():
        shown = value if isinstance(value, (str, int, float, bool)) else "given"
        notes.append(f"{key} ({shown}) is recorded but has no local effect: {COMPUTE_FIELDS_WITHOUT_EFFECT[key]}")
    return notes


def recorded(value: Any) -> Any:
    """``value`` as it is stored: secret settings left out."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k not in NOT_RECORDED}
    return value
