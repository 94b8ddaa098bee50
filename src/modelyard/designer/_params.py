"""Parameter values: defaults, type coercion (YAML and forms send text), ranges and enums.

``check_parameters`` returns the problems as plain data (for graph validation); ``resolve_parameters``
raises them (for a run); both read the same rules.
"""

from __future__ import annotations

import math
from typing import Any

from modelyard.errors import InvalidInput
from modelyard.spec.designer import ModuleSpec, ParameterSpec

_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


def _coerce(spec: ParameterSpec, value: Any) -> Any:
    """The value as the parameter's kind; ValueError (a sentence) when it cannot be."""
    if spec.kind == "boolean":
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() in _TRUE + _FALSE:
            return str(value).strip().lower() in _TRUE
        raise ValueError(f"{value!r} is not true or false")
    if spec.kind in ("integer", "number"):
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not a number")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{value!r} is not a number") from None
        if spec.kind == "integer" and not number.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        if not math.isfinite(number):
            raise ValueError(f"{value!r} is not a finite number")
        return int(number) if spec.kind == "integer" else number
    if spec.kind == "column" and (isinstance(value, dict) or str(value).strip().startswith("{")):
        return _one_column(value)
    if spec.kind == "column_selection":
        _selection(value)  # the value stays as given; this only checks that it reads as a selector
    if spec.kind == "range":
        item = spec.model_copy(update={"kind": spec.item_kind})
        items = [_coerce(item, part) for part in str(value).replace(",", ";").split(";") if part.strip()]
        if not items:
            raise ValueError("gives no value; write values separated by ';'")
        return items
    if spec.kind == "enum":
        match = next((c for c in spec.choices or [] if c.lower() == str(value).strip().lower()), None)
        if match is None:
            raise ValueError(f"{value!r} is not one of: {', '.join(spec.choices or [])}")
        return match
    return value


def _selection(value: Any):
    """The parsed column selector; ValueError with one sentence when ``value`` is none."""
    from pydantic import ValidationError

    from modelyard.spec.designer import ColumnSelection

    try:
        return ColumnSelection.parse(value)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ValueError(f"is not a column selector ({where}: {first['msg'].removeprefix('Value error, ')})") from None
    except ValueError as error:
        raise ValueError(f"is not a column selector: {error}") from None


def _one_column(value: Any) -> str:
    """The name in a selector that names one column (Azure stores Train Model's label column so)."""
    rules = _selection(value).rules
    if len(rules) != 1 or rules[0].rule_type != "ColumnNames" or rules[0].exclude or len(rules[0].columns) != 1:
        raise ValueError("must name exactly one column")
    return rules[0].columns[0]


def _range_problem(spec: ParameterSpec, value: float) -> str | None:
    low, high = spec.minimum, spec.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"between {low:g} and {high:g}" if low is not None and high is not None else (
            f"at least {low:g}" if low is not None else f"at most {high:g}")
        return f"{value!r} is out of range: it must be {bounds}"
    return None


def is_active(spec: ParameterSpec, values: dict[str, Any]) -> bool:
    return all(values.get(name) in allowed for name, allowed in (spec.enabled_when or {}).items())


def check_parameters(module: ModuleSpec, given: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """``(values, problems)``: every parameter's value (given, else its default) and a list of
    ``(parameter name, sentence)`` for values that are unknown, missing, mistyped or out of range."""
    problems = [(name, f"{module.display_name} has no parameter '{name}'; its parameters are: "
                 + ", ".join(p.name for p in module.parameters)) for name in given if module.parameter(name) is None]
    values: dict[str, Any] = {}
    for spec in module.parameters:
        raw = given.get(spec.name, spec.default)
        try:
            values[spec.name] = None if raw is None or raw == "" else _coerce(spec, raw)
        except ValueError as error:
            values[spec.name] = spec.default
            problems.append((spec.name, str(error)))
    for spec in module.parameters:
        value = values[spec.name]
        if not is_active(spec, values) or any(name == spec.name for name, _ in problems):
            continue
        if value is None and not spec.optional:
            problems.append((spec.name, "is required and has no value"))
        elif value is not None and spec.kind in ("integer", "number", "range"):
            found = [p for v in (value if spec.kind == "range" else [value]) if (p := _range_problem(spec, v))]
            if found:
                problems.append((spec.name, found[0]))
    return values, problems


def describe(module: ModuleSpec, name: str) -> str:
    spec = module.parameter(name)
    return f"parameter '{spec.display_name}' ({name})" if spec else f"parameter '{name}'"


def resolve_parameters(module: ModuleSpec, given: dict[str, Any]) -> dict[str, Any]:
    values, problems = check_parameters(module, given)
    if problems:
        raise InvalidInput(f"{module.display_name}: " + "; ".join(f"{describe(module, name)}: {message}"
                                                                  for name, message in problems))
    return values
