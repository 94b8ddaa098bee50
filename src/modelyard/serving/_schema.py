"""Input schema of a served model: its columns, their types and which are required.

The schema comes from the MLflow signature (``MLmodel``'s ``signature.inputs``) or, for a plain
pickle, from the estimator's ``feature_names_in_`` with types read off its fitted encoders and
scalers where it has them (``any`` otherwise: any JSON scalar is accepted).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# MLflow column types and the names used in messages / OpenAPI.
INTEGER_TYPES = frozenset({"integer", "long"})
FLOAT_TYPES = frozenset({"float", "double"})
KNOWN_TYPES = INTEGER_TYPES | FLOAT_TYPES | {"string", "boolean", "datetime", "binary", "any"}

_OPENAPI = {
    "integer": {"type": "integer", "format": "int32"},
    "long": {"type": "integer", "format": "int64"},
    "float": {"type": "number", "format": "float"},
    "double": {"type": "number", "format": "double"},
    "string": {"type": "string"},
    "boolean": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
    "binary": {"type": "string", "format": "byte"},
    "any": {},
}


@dataclass(frozen=True)
class Column:
    """One input column: ``name``, MLflow ``type`` and whether a request must give it."""

    name: str
    type: str = "any"
    required: bool = True

    def openapi(self) -> dict[str, Any]:
        schema = dict(_OPENAPI.get(self.type, {}))
        if not self.required:
            schema["nullable"] = True
        return schema


@dataclass(frozen=True)
class Schema:
    """The columns a model reads, in the order it reads them."""

    columns: tuple[Column, ...]
    source: str = "signature"
    _by_name: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update({c.name: c for c in self.columns})

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def __getitem__(self, name: str) -> Column:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __len__(self) -> int:
        return len(self.columns)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source,
                "columns": [{"name": c.name, "type": c.type, "required": c.required} for c in self.columns]}


def schema_from_signature(inputs: str | list | None) -> Schema | None:
    """Schema of an MLflow column-based signature (``MLmodel``'s ``signature.inputs``); None for tensors."""
    if inputs is None:
        return None
    specs = json.loads(inputs) if isinstance(inputs, str) else inputs
    columns = []
    for spec in specs:
        if not isinstance(spec, dict) or "name" not in spec or spec.get("type") == "tensor":
            return None  # tensor or unnamed signature: no column contract to enforce
        kind = spec.get("type")
        if not isinstance(kind, str) or kind not in KNOWN_TYPES:
            kind = "any"  # arrays, objects, maps: passed through as given
        columns.append(Column(str(spec["name"]), kind, bool(spec.get("required", True))))
    return Schema(tuple(columns), source="signature") if columns else None


def _column_types_from_estimator(model: Any) -> dict[str, str]:
    """Types read off a fitted pipeline's ColumnTransformer: encoded columns are strings or numbers
    as their categories are, scaled/imputed-by-mean columns are doubles."""
    import numpy as np

    types: dict[str, str] = {}
    steps = [s for _, s in getattr(model, "steps", [])] or [model]
    ct = steps[0]
    if not hasattr(ct, "transformers_") or not hasattr(ct, "feature_names_in_"):
        return types
    names = list(ct.feature_names_in_)
    indices = getattr(ct, "_transformer_to_input_indices", {})
    for name, trans, _ in ct.transformers_:
        cols = [names[i] for i in indices.get(name, [])]
        inner = [s for _, s in getattr(trans, "steps", [])] or [trans]
        kind = None
        for step in inner:
            cats = getattr(step, "categories_", None)
            if cats is not None:
                kinds = ["string" if np.asarray(c).dtype.kind in "OUS" else "double" for c in cats]
                for col, k in zip(cols, kinds):
                    types.setdefault(col, k)
                break
            if hasattr(step, "mean_") or hasattr(step, "scale_") or hasattr(step, "data_min_"):
                kind = "double"
                break
        if kind:
            for col in cols:
                types.setdefault(col, kind)
    return types


def schema_from_estimator(model: Any) -> Schema | None:
    """Schema of a plain pickled estimator from ``feature_names_in_`` (None when it has none)."""
    names = getattr(model, "feature_names_in_", None)
    if names is None:
        return None
    try:
        types = _column_types_from_estimator(model)
    except Exception:  # a custom pipeline: the names alone are still a contract
        types = {}
    return Schema(tuple(Column(str(n), types.get(str(n), "any"), True) for n in names), source="feature_names_in_")
