"""The catalogue of built-in modules: each one's declaration (a ``ModuleSpec``), its computation and
its schema function, registered by the ``@module`` decorator of the family file that defines it."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

from modelyard.errors import NotFound
from modelyard.spec.designer import ModuleSpec, ParameterSpec, PortSpec, PortType, Schema

SchemaFunction = Callable[[dict[str, Schema | None], dict[str, Any]], dict[str, Schema | None]]
# the family files, imported when the catalogue is first read
FAMILIES = ("_data_input", "_manipulation", "_sample", "_smote", "_scale", "_clean", "_sql", "_statistics", "_features",
            "_learners", "_poisson", "_cluster", "_train", "_evaluate", "_sweep", "_importance", "_script",
            "_python_model", "_r_script", "_saved", "_import_export")
_MODULES: dict[str, "Module"] = {}
# a module's schema function that runs the module itself on empty frames of its input schemas
EMPTY_RUN = "empty-run"


@dataclass(frozen=True)
class Module:
    spec: ModuleSpec
    run: Callable[..., Any]
    schema: SchemaFunction | str | None = None
    storage: bool = False  # reads or writes datastores or URLs: called with ``storage``, and never reused


def module(id: str, display_name: str, category: str, description: str, *, inputs=(), outputs=(),
           parameters=(), schema: SchemaFunction | str | None = None, storage: bool = False):
    """Register the decorated function as the computation of a built-in module. It is called with
    the inputs and parameters as keywords (and the runner's ``storage`` when it asks for it) and returns
    its one output, or a tuple in output order."""
    spec = ModuleSpec(id=id, display_name=display_name, category=category, description=description,
                      inputs=list(inputs), outputs=list(outputs), parameters=list(parameters))

    def register(function):
        _MODULES[id] = Module(spec, function, schema, storage)
        return function
    return register


def modules_by_id() -> dict[str, Module]:
    """Every built-in module by id (the family files are imported on first use)."""
    for family in FAMILIES:
        importlib.import_module(f"modelyard.designer.{family}")
    return _MODULES


def catalogue() -> list[ModuleSpec]:
    """Every built-in module's declaration, by category then name."""
    return sorted((m.spec for m in modules_by_id().values()), key=lambda s: (s.category, s.display_name))


def get_module(module_id: str) -> Module:
    modules = modules_by_id()
    if module_id not in modules:
        raise NotFound(f"no built-in module '{module_id}'; `modelyard component list --builtin` lists them "
                       f"(e.g. {', '.join(sorted(modules)[:4])}, ...)")
    return modules[module_id]


# --- declaration helpers, so that a family file reads like Azure's module reference -----------------

def port(name: str, display_name: str, type: PortType = "DataFrameDirectory", optional: bool = False,
         requires_columns: tuple[str, ...] = ()) -> PortSpec:
    return PortSpec(name=name, display_name=display_name, type=type, optional=optional,
                    requires_columns=list(requires_columns))


def parameter(kind: str, name: str, display_name: str, default: Any = None, **fields: Any) -> ParameterSpec:
    return ParameterSpec(kind=kind, name=name, display_name=display_name, default=default, **fields)


def enum(name: str, display_name: str, choices: list[str], default: str | None = None, **fields) -> ParameterSpec:
    return parameter("enum", name, display_name, choices[0] if default is None else default, choices=choices,
                     **fields)


def columns(name: str, display_name: str, default: Any = None, columns_of: str = "dataset", **fields) -> ParameterSpec:
    return parameter("column_selection", name, display_name, default, columns_of=columns_of, **fields)


def column(name: str, display_name: str, columns_of: str = "dataset", **fields) -> ParameterSpec:
    return parameter("column", name, display_name, columns_of=columns_of, **fields)


# --- schema functions shared by many modules ---------------------------------------------------------

def same_schema(source: str = "dataset") -> SchemaFunction:
    """Every DataFrame output has the schema of input ``source``."""
    def schema(inputs: dict[str, Schema | None], _params: dict[str, Any]) -> dict[str, Schema | None]:
        return {"*": inputs.get(source)}
    return schema
