"""The scoring engine: one process that serves one model fast and safely.

``python -m modelyard.serving --model-dir DIR --port PORT`` serves ``POST /score``; the same
validation and scoring are available in-process::

    from modelyard.serving import load_model, parse_request
    scorer = load_model("path/to/model")          # MLflow folder, model.pkl folder or pickle file
    scorer.predict([{"Age": 41, ...}])             # -> [0]
    scorer.predict(records, "predict_proba")       # -> [[0.9, 0.1]]
    parse_request(body_bytes, scorer.schema)       # -> ParsedRequest, or RequestError(400)
"""

from modelyard.serving._app import ScoringApp, Settings, create_app
from modelyard.serving._compiled import CompiledModel
from modelyard.serving._errors import RequestError
from modelyard.serving._model import ModelLoadError, Scorer, load_model, to_jsonable
from modelyard.serving._parse import ParsedRequest, load_body, parse_request
from modelyard.serving._schema import Column, Schema, schema_from_estimator, schema_from_signature
from modelyard.serving._script import ScriptScorer

__all__ = [
    "Column",
    "CompiledModel",
    "ModelLoadError",
    "ParsedRequest",
    "RequestError",
    "Schema",
    "Scorer",
    "ScoringApp",
    "ScriptScorer",
    "Settings",
    "create_app",
    "load_body",
    "load_model",
    "parse_request",
    "schema_from_estimator",
    "schema_from_signature",
    "to_jsonable",
]
