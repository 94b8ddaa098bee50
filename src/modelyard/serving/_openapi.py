"""``GET /swagger.json``: an OpenAPI 3 document of the scoring route, from the model's schema."""

from __future__ import annotations

from typing import Any

from modelyard.serving._schema import Schema


def _jsonable_example(records: list[dict] | None, schema: Schema | None) -> list[dict]:
    if records:
        return records[:2]
    if schema is None:
        return []
    sample = {"integer": 0, "long": 0, "float": 0.0, "double": 0.0, "string": "string", "boolean": False,
              "datetime": "2024-01-01T00:00:00", "binary": "", "any": None}
    return [{c.name: sample.get(c.type) for c in schema.columns}]


def openapi(schema: Schema | None, example: list[dict] | None, *, title: str = "modelyard scoring",
            classes: list | None = None, has_proba: bool = False) -> dict[str, Any]:
    """The OpenAPI 3.0 document: request schema (columns, types, required), an example body,
    and the answers (200 result, 400/413/429/500/503/504 errors)."""
    if schema is not None:
        record: dict[str, Any] = {"type": "object",
                                  "properties": {c.name: c.openapi() for c in schema.columns},
                                  "required": [c.name for c in schema.columns if c.required],
                                  "additionalProperties": True}
    else:
        record = {"type": "object", "additionalProperties": True}
    methods = ["predict", "predict_proba"] if has_proba else ["predict"]
    request = {"type": "object", "required": ["data"],
               "properties": {"data": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Record"}},
                              "method": {"type": "string", "enum": methods, "default": "predict"}}}
    result = {"type": "object", "properties": {"result": {"type": "array", "items": {}}}}
    if has_proba:
        result["properties"]["classes"] = {"type": "array", "items": {},
                                           "description": "with method=predict_proba: the order of each row's probabilities"}
    error = {"type": "object", "properties": {"error": {"type": "string"}, "error_id": {"type": "string"}}}
    err = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    example_body = {"data": _jsonable_example(example, schema)}
    info_desc = "Score records with the deployed model."
    if classes is not None:
        info_desc += f" Classes: {classes}."
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1.0", "description": info_desc},
        "paths": {
            "/score": {"post": {
                "summary": "Score records",
                "operationId": "score",
                "parameters": [{"name": "proba", "in": "query", "required": False, "schema": {"type": "boolean"},
                                "description": "true: return class probabilities (predict_proba)"}],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/ScoringRequest"}, "example": example_body}}},
                "responses": {
                    "200": {"description": "Predictions, one per record",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScoringResult"}}}},
                    "400": {"description": "Bad input (the reason names the column, row and value)", **err},
                    "413": {"description": "Body over the size limit", **err},
                    "429": {"description": "Too many concurrent requests", **err},
                    "500": {"description": "Scoring failed (an error id to find the log entry)", **err},
                    "503": {"description": "Model not loaded yet", **err},
                    "504": {"description": "Request timed out", **err},
                }}},
            "/health": {"get": {"summary": "Liveness", "responses": {"200": {"description": "alive"}}}},
            "/ready": {"get": {"summary": "Readiness (model loaded)",
                               "responses": {"200": {"description": "ready"}, "503": {"description": "loading"}}}},
        },
        "components": {"schemas": {"Record": record, "ScoringRequest": request, "ScoringResult": result, "Error": error}},
    }
