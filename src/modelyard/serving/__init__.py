"""The scoring engine: one process that serves one model fast and safely.

``python -m modelyard.serving --model-dir DIR --port PORT`` serves ``POST /score``; the same
validation and scoring are available in-process::

    from modelyard.serving import load_model, parse_request
    scorer = load_model("path/to/model")          # MLflow folder, model.pkl folder or pickle file
    scorer.predict([{"Age": 41, ...}])             # -> [0]
    scorer.predict(records, "predict_proba")       # -> [[0.9, 0.1]]
    parse_request(body_bytes, scorer.schema)       # -> ParsedRequest, or RequestError(400)
"""

from modelyard._lazy import lazy_exports

_EXPORTS = {
    "ScoringApp": "_app",
    "Settings": "_app",
    "create_app": "_app",
    "CompiledModel": "_compiled",
    "RequestError": "_errors",
    "ModelLoadError": "_model",
    "Scorer": "_model",
    "load_model": "_model",
    "to_jsonable": "_model",
    "ParsedRequest": "_parse",
    "load_body": "_parse",
    "parse_request": "_parse",
    "Column": "_schema",
    "Schema": "_schema",
    "schema_from_estimator": "_schema",
    "schema_from_signature": "_schema",
    "ScriptScorer": "_script",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = list(_EXPORTS)
