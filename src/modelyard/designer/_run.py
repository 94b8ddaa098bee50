"""Running one module: parameters resolved, inputs checked against the ports' types, outputs by port name."""

from __future__ import annotations

from typing import Any

from modelyard.errors import InvalidInput, ModelyardError
from modelyard.spec.designer import PortSpec

from modelyard.designer._columns import ColumnNotFound
from modelyard.designer._params import describe, resolve_parameters
from modelyard.designer._registry import get_module


def _port_type_of(value: Any) -> str:
    import pandas as pd

    from modelyard.designer._values import Transformation, TrainedModel, UntrainedModel

    for kind, port_type in ((pd.DataFrame, "DataFrameDirectory"), (UntrainedModel, "UntrainedModel"),
                            (TrainedModel, "ModelDirectory"), (Transformation, "TransformationDirectory"),
                            (dict, "EvaluationResult")):
        if isinstance(value, kind):
            return port_type
    return type(value).__name__


def _check_inputs(name: str, ports: list[PortSpec], inputs: dict[str, Any]) -> None:
    unknown = sorted(set(inputs) - {port.name for port in ports})
    if unknown:
        raise InvalidInput(f"{name} has no input port {', '.join(unknown)}; its inputs are: "
                           + ", ".join(port.name for port in ports))
    for port in ports:
        value = inputs.get(port.name)
        if value is None:
            if not port.optional:
                raise InvalidInput(f"{name}: input port '{port.display_name}' ({port.name}) needs a "
                                   f"{port.type}; connect one")
        elif (found := _port_type_of(value)) != port.type:
            raise InvalidInput(f"{name}: input port '{port.display_name}' ({port.name}) takes a {port.type}, "
                               f"got a {found}")


def with_message(error: ModelyardError, message: str) -> ModelyardError:
    """The same error (its class and fields kept) with the module's name in front of its message."""
    error.message = message
    error.args = (message,)
    return error


def run_module(module_id: str, inputs: dict[str, Any] | None = None,
               parameters: dict[str, Any] | None = None, storage=None) -> dict[str, Any]:
    """Run built-in module ``module_id`` on ``inputs`` (port name -> DataFrame, model, ...) with
    ``parameters`` (name -> value; text is coerced); returns output port name -> value. Bad
    parameters, inputs or data raise InvalidInput naming the module and what to change. ``storage``
    (a ``Storage``: the workspace's datastores) is what Import Data and Export Data read and write."""
    module = get_module(module_id)
    spec = module.spec
    values = resolve_parameters(spec, parameters or {})
    inputs = {key: value for key, value in (inputs or {}).items()}
    _check_inputs(spec.display_name, spec.inputs, inputs)
    if module.storage:
        if storage is None:
            raise InvalidInput(f"{spec.display_name} reads or writes the workspace's datastores: run it in a "
                               "submitted pipeline")
        values["storage"] = storage
    try:
        result = module.run(**{port.name: inputs.get(port.name) for port in spec.inputs}, **values)
    except ColumnNotFound as error:
        raise with_message(error, f"{spec.display_name}: {describe(spec, error.parameter)}: {error.message}") from None
    except ModelyardError as error:
        raise with_message(error, f"{spec.display_name}: {error.message}") from None
    results = result if isinstance(result, tuple) else (result,)
    return {port.name: value for port, value in zip(spec.outputs, results)}
