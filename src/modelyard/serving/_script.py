"""User scoring scripts with the Azure ML contract: ``init()`` once, ``run(raw_data)`` per request.

The script is imported from its file with ``--code-dir`` on ``sys.path``; ``AZUREML_MODEL_DIR``
and ``MODELYARD_MODEL_DIR`` hold the model folder. ``run`` receives the request body as a string
(as Azure passes it). Its return value is answered as JSON: a dict as it is, a string holding a
JSON object as that object, anything else (a list, an array, a scalar) as ``{"result": value}``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import orjson

from modelyard.serving._model import _read_input_example
from modelyard.serving._schema import Schema, schema_from_signature


class ScriptScorer:
    """A loaded scoring script (``init()`` already called)."""

    source = "scoring-script"
    compiled = None
    compile_note = "scoring script"
    has_proba = False
    classes = None

    def __init__(self, script: str | os.PathLike, model_dir: str | os.PathLike, code_dir: str | os.PathLike | None = None):
        self.script = Path(script)
        self.path = Path(model_dir)
        code = Path(code_dir) if code_dir else self.script.parent
        if not self.script.is_absolute() and not self.script.is_file():
            self.script = code / self.script
        os.environ["AZUREML_MODEL_DIR"] = str(self.path.resolve())
        os.environ["MODELYARD_MODEL_DIR"] = str(self.path.resolve())
        sys.path.insert(0, str(code.resolve()))
        spec = importlib.util.spec_from_file_location("score", self.script)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot import scoring script {self.script}")
        module = importlib.util.module_from_spec(spec)
        sys.modules["score"] = module
        spec.loader.exec_module(module)
        if not callable(getattr(module, "run", None)):
            raise ImportError(f"scoring script {self.script.name} defines no run(raw_data)")
        self.module = module
        self.schema, self.input_example = self._read_schema()
        if callable(getattr(module, "init", None)):
            module.init()

    def _read_schema(self) -> tuple[Schema | None, list | None]:
        mlmodel = self.path / "MLmodel"
        if not mlmodel.is_file():
            return None, None
        try:
            import yaml

            doc = yaml.safe_load(mlmodel.read_text()) or {}
            return schema_from_signature((doc.get("signature") or {}).get("inputs")), _read_input_example(self.path, doc)
        except Exception:  # noqa: BLE001 - the schema only feeds swagger.json here
            return None, None

    def run(self, raw: str) -> Any:
        """The script's answer as a JSON-ready object."""
        out = self.module.run(raw)
        if isinstance(out, dict):
            return out
        if isinstance(out, (str, bytes)):
            try:
                parsed = orjson.loads(out)
            except orjson.JSONDecodeError:
                return {"result": out if isinstance(out, str) else out.decode(errors="replace")}
            return parsed if isinstance(parsed, dict) else {"result": parsed}
        if hasattr(out, "tolist"):
            out = out.tolist()
        return {"result": out}

    def describe(self) -> dict[str, Any]:
        return {"source": self.source, "script": self.script.name, "path": str(self.path),
                "schema": self.schema.to_dict() if self.schema else None, "compiled": False}
