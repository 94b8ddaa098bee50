"""Loading a model to serve and scoring coerced columns with it.

Accepted: an MLflow model folder (sklearn flavour saved with skops, cloudpickle or pickle; any other
flavour through ``mlflow.pyfunc``), or a plain pickled/joblib scikit-learn model (``model.pkl``,
``model.joblib``, or the only ``*.pkl``/``*.joblib`` in the folder; or the file itself). The
caller is trusted to have checked the file (the workspace verifies the registered sha256 before
starting a scoring process): loading a pickle runs code.

skops files: the types MLflow recorded as trusted in ``MLmodel`` are trusted, and so are types
from scikit-learn, numpy, scipy, pandas, LightGBM and XGBoost (a pipeline holding an
``LGBMClassifier`` loads). Any other type must be named in ``trusted_types`` (``--trust-type``).
"""

from __future__ import annotations

import json
import logging
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from modelyard.serving._compiled import CompiledModel, Fallback, Unsupported, compile_model
from modelyard.serving._compiled._estimators import offers_proba
from modelyard.serving._errors import RequestError
from modelyard.serving._parse import ParsedRequest, parse_request
from modelyard.serving._schema import FLOAT_TYPES, INTEGER_TYPES, Schema, schema_from_estimator, schema_from_signature
from modelyard.serving._unseen import UnseenCategories, fitted_categories

log = logging.getLogger("modelyard.serving")

TRUSTED_MODULE_ROOTS = ("sklearn", "numpy", "scipy", "pandas", "lightgbm", "xgboost")
PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib")
PROBE_ROWS = 256
TOLERANCE = 1e-6


class ModelLoadError(Exception):
    """The folder holds no model this engine can load (the message says why)."""


@dataclass
class Scorer:
    """A loaded model ready to score: ``predict(records)``, ``schema``, ``classes`` and the
    compiled path when one was verified against the model."""

    model: Any  # the raw estimator (sklearn flavour or pickle); None for other pyfunc flavours
    schema: Schema | None
    source: str  # "mlflow-sklearn", "mlflow-pyfunc" or "pickle"
    pyfunc: Any = None
    input_example: list[dict] | None = None
    compiled: CompiledModel | None = None
    compile_note: str = "not attempted"
    path: Path | None = None
    unseen: UnseenCategories | None = None  # the categories the model knows, for response warnings
    _dtypes: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.unseen is None:
            self.unseen = UnseenCategories.of(self.model)

    # -- introspection ---------------------------------------------------------------------
    @property
    def classes(self) -> list | None:
        classes = getattr(self.model, "classes_", None)
        return None if classes is None else np.asarray(classes).tolist()

    @property
    def has_proba(self) -> bool:
        return self.model is not None and offers_proba(self.model)

    def describe(self) -> dict[str, Any]:
        return {"source": self.source, "path": str(self.path) if self.path else None,
                "model": type(self.model).__name__ if self.model is not None else "pyfunc",
                "compiled": self.compiled is not None, "compile_note": self.compile_note,
                "classes": self.classes, "schema": self.schema.to_dict() if self.schema else None}

    # -- scoring ---------------------------------------------------------------------------
    def parse(self, body: bytes | str | dict, query: dict[str, str] | None = None) -> ParsedRequest:
        """Validate and coerce a request body (RequestError 400 on bad input)."""
        return parse_request(body, self.schema, query)

    def predict(self, records: list | dict, method: str = "predict") -> list:
        """Predictions (or class probabilities with ``method="predict_proba"``) for records, as a
        JSON-ready list; validation is the same as the HTTP route's."""
        body = records if isinstance(records, dict) else {"data": records}
        parsed = self.parse({**body, "method": method} if "method" not in body else body)
        return to_jsonable(self.score(parsed.columns, parsed.n_rows, parsed.method, parsed.records))

    def frame(self, columns: dict[str, list], records: list | None = None):
        """The pandas DataFrame the model reads, built once per batch."""
        import pandas as pd

        if self.schema is None:
            return pd.DataFrame(records)
        data = {}
        for col in self.schema.columns:
            values = columns[col.name]
            if col.type in INTEGER_TYPES:
                try:
                    data[col.name] = np.asarray(values, dtype=np.int32 if col.type == "integer" else np.int64)
                except (TypeError, ValueError):  # None in an optional integer column
                    data[col.name] = np.asarray([np.nan if v is None else v for v in values], dtype=np.float64)
            elif col.type in FLOAT_TYPES:
                data[col.name] = np.asarray(values, dtype=np.float32 if col.type == "float" else np.float64)
            else:
                data[col.name] = values
        return pd.DataFrame(data, columns=self.schema.names)

    def score(self, columns: dict[str, list], n_rows: int, method: str = "predict",
              records: list | None = None) -> Any:
        """Score coerced columns: the compiled path when verified and able, else the model."""
        if method == "predict_proba" and not self.has_proba:
            raise RequestError(400, "this model has no predict_proba")
        missing = first_not_finite(columns)
        if missing is not None:  # the model itself decides: its featurizer may impute
            try:
                return self.score_model(columns, method, records)
            except ValueError as exc:
                name, row, value = missing
                shown = "a missing value (null or NaN)" if value is None or value != value else f"{value!r}"
                said = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
                raise RequestError(400, f"column '{name}', row {row}: the model cannot score {shown} (its "
                                        f"featurizer does not impute missing or infinite values; it said: {said})") from None
        if self.compiled is not None:
            try:
                if method == "predict_proba":
                    return self.compiled.predict_proba(columns)
                return self.compiled.predict(columns)
            except Fallback:
                pass
        return self.score_model(columns, method, records)

    def score_model(self, columns: dict[str, list], method: str = "predict", records: list | None = None) -> Any:
        """Score through the model itself (no compiled path)."""
        frame = self.frame(columns, records)
        if self.model is not None:
            return getattr(self.model, method)(frame)
        return self.pyfunc.predict(frame)


def first_not_finite(columns: dict[str, list]) -> tuple[str, int, Any] | None:
    """(column, row, value) of the first null, NaN or infinity in a column, or None."""
    for name, values in columns.items():
        if None not in values:
            try:
                if math.isfinite(sum(values)):  # one C loop; NaN and infinities make the sum non-finite
                    continue
            except (TypeError, OverflowError):  # not a numeric column
                continue
        for row, v in enumerate(values):
            if v is None or (type(v) is float and not math.isfinite(v)):
                return name, row, v
    return None


def to_jsonable(result: Any) -> Any:
    """A prediction result as JSON-ready Python values."""
    if isinstance(result, np.ndarray):
        return result.tolist()
    if hasattr(result, "to_numpy") and hasattr(result, "columns"):  # DataFrame
        return result.iloc[:, 0].tolist() if result.shape[1] == 1 else result.to_dict(orient="records")
    if hasattr(result, "tolist"):
        return result.tolist()
    if isinstance(result, (list, tuple)):
        return [to_jsonable(r) if hasattr(r, "tolist") else r for r in result]
    return result


# -- loading -------------------------------------------------------------------------------
def _load_skops(path: Path, recorded: list | None, extra: tuple[str, ...]) -> Any:
    import skops.io

    untrusted = skops.io.get_untrusted_types(file=str(path))
    allowed = set(recorded or []) | set(extra)
    trusted, refused = [], []
    for name in untrusted:
        if name in allowed or name.split(".", 1)[0] in TRUSTED_MODULE_ROOTS:
            trusted.append(name)
        else:
            refused.append(name)
    if refused:
        raise ModelLoadError(f"{path.name} holds types that are not trusted: {', '.join(refused)} "
                             "(name them with --trust-type, or save the model with serialization_format='cloudpickle')")
    return skops.io.load(str(path), trusted=trusted)


def _load_pickle(path: Path) -> Any:
    import joblib

    return joblib.load(path)  # reads plain pickles too


def _read_input_example(model_dir: Path, mlmodel: dict) -> list[dict] | None:
    info = mlmodel.get("saved_input_example_info") or {}
    path = model_dir / info.get("artifact_path", "input_example.json")
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and "dataframe_split" in data:
        data = data["dataframe_split"]
    if isinstance(data, dict) and isinstance(data.get("columns"), list) and isinstance(data.get("data"), list):
        return [dict(zip(data["columns"], row)) for row in data["data"] if isinstance(row, list)]
    if isinstance(data, list) and all(isinstance(r, dict) for r in data):
        return data
    if isinstance(data, dict) and all(not isinstance(v, (dict, list)) for v in data.values()):
        return [data]
    return None


def _load_mlflow(model_dir: Path, trusted_types: tuple[str, ...]) -> Scorer:
    import yaml

    mlmodel = yaml.safe_load((model_dir / "MLmodel").read_text()) or {}
    flavors = mlmodel.get("flavors") or {}
    signature = (mlmodel.get("signature") or {}).get("inputs")
    schema = schema_from_signature(signature)
    example = _read_input_example(model_dir, mlmodel)
    sk = flavors.get("sklearn")
    if sk and sk.get("pickled_model"):
        code = sk.get("code")
        if code:
            import sys

            sys.path.insert(0, str(model_dir / code))
        path = model_dir / sk["pickled_model"]
        fmt = sk.get("serialization_format", "pickle")
        if fmt == "skops":
            model = _load_skops(path, sk.get("skops_trusted_types"), trusted_types)
        elif fmt == "cloudpickle":
            import cloudpickle

            with open(path, "rb") as f:
                model = cloudpickle.load(f)
        else:
            model = _load_pickle(path)
        if schema is None:
            schema = schema_from_estimator(model)
        return Scorer(model, schema, "mlflow-sklearn", input_example=example, path=model_dir)
    if "python_function" not in flavors:
        raise ModelLoadError(f"{model_dir}/MLmodel has neither a sklearn nor a python_function flavour")
    os.environ.setdefault("MLFLOW_ALLOW_PICKLE_DESERIALIZATION", "true")
    import mlflow.pyfunc

    pyfunc = mlflow.pyfunc.load_model(str(model_dir))
    return Scorer(None, schema, "mlflow-pyfunc", pyfunc=pyfunc, input_example=example, path=model_dir)


def _find_pickle(model_dir: Path) -> Path | None:
    for name in ("model.pkl", "model.joblib", "model.pickle"):
        if (model_dir / name).is_file():
            return model_dir / name
    found = sorted(p for p in model_dir.iterdir() if p.suffix in PICKLE_SUFFIXES and p.is_file())
    return found[0] if len(found) == 1 else None


def load_model(model_dir: str | os.PathLike, *, compile: bool = True, trusted_types: tuple[str, ...] = ()) -> Scorer:
    """Load the model at ``model_dir`` (an MLflow folder, a folder with one pickle, or a pickle
    file) as a :class:`Scorer`; with ``compile`` the numpy path is built and verified."""
    path = Path(model_dir)
    if path.is_file():
        if path.name == "MLmodel":
            path = path.parent
        elif path.suffix in PICKLE_SUFFIXES:
            model = _load_pickle(path)
            scorer = Scorer(model, schema_from_estimator(model), "pickle", path=path)
            check_can_predict(scorer)
            return _with_compiled(scorer) if compile else scorer
    if not path.is_dir():
        raise ModelLoadError(f"{path} is neither a model folder nor a pickle file")
    if (path / "MLmodel").is_file():
        scorer = _load_mlflow(path, tuple(trusted_types))
    else:
        pkl = _find_pickle(path)
        if pkl is None:
            raise ModelLoadError(f"{path} holds no MLmodel file and no single model.pkl/model.joblib")
        model = _load_pickle(pkl)
        scorer = Scorer(model, schema_from_estimator(model), "pickle", path=path)
    check_can_predict(scorer)
    if compile:
        scorer = _with_compiled(scorer)
    return scorer


def check_can_predict(scorer: Scorer) -> None:
    """ModelLoadError unless the loaded object is a model that predicts on its input example."""
    if scorer.model is not None and not callable(getattr(scorer.model, "predict", None)):
        raise ModelLoadError(f"{scorer.path.name if scorer.path else 'the file'} holds a "
                             f"{type(scorer.model).__module__}.{type(scorer.model).__qualname__}, not a model: "
                             "it has no predict method")
    if scorer.input_example:
        try:
            scorer.predict(scorer.input_example[:5])
        except Exception as exc:  # noqa: BLE001 - any failure here means every request would fail
            reason = exc.message if isinstance(exc, RequestError) else f"{type(exc).__name__}: {exc}"
            raise ModelLoadError(f"the model cannot predict on its input example: {reason[:500]}") from None


# -- compiled path and its verification ----------------------------------------------------
def probe_columns(scorer: Scorer, rows: int = PROBE_ROWS, seed: int = 0) -> dict[str, list]:
    """Synthetic, valid columns for checking a compiled path: categories from the encoders,
    numbers around the input example's values (each column drawn independently)."""
    rng = np.random.default_rng(seed)
    cats = fitted_categories(scorer.model)
    example = scorer.input_example or []
    columns: dict[str, list] = {}
    for col in scorer.schema.columns:
        seen = [r.get(col.name) for r in example if r.get(col.name) is not None]
        if col.name in cats and cats[col.name]:
            pool = cats[col.name]
            columns[col.name] = [pool[i] for i in rng.integers(0, len(pool), rows)]
            continue
        base = np.asarray([v for v in seen if isinstance(v, (int, float))] or [1.0, 10.0, 100.0], dtype=float)
        values = rng.choice(base, rows) * rng.uniform(0.0, 2.0, rows) + rng.normal(0, 1, rows)
        if col.type in INTEGER_TYPES:
            columns[col.name] = np.rint(values).astype(np.int64).tolist()
        elif col.type in FLOAT_TYPES or col.type == "any":
            columns[col.name] = values.tolist()
        elif col.type == "string" and seen:
            columns[col.name] = [str(seen[i]) for i in rng.integers(0, len(seen), rows)]
        else:
            raise Unsupported(f"no probe values for column '{col.name}' ({col.type})")
    # the example rows themselves come first
    for i, record in enumerate(example[:rows]):
        for col in scorer.schema.columns:
            v = record.get(col.name)
            if v is not None:
                columns[col.name][i] = v
    return columns


def verify(scorer: Scorer, compiled: CompiledModel, columns: dict[str, list]) -> str | None:
    """None when ``compiled`` matches the model on ``columns``; else what differs."""
    try:
        want = np.asarray(scorer.score_model(columns, "predict"))
        got = np.asarray(compiled.predict(columns))
    except Fallback as exc:
        return f"probe rows fell back ({exc})"
    if want.shape != got.shape or not np.array_equal(want, got):
        return "predictions differ from the model's"
    if scorer.has_proba and compiled.has_proba:
        want_p = np.asarray(scorer.score_model(columns, "predict_proba"), dtype=float)
        got_p = np.asarray(compiled.predict_proba(columns), dtype=float)
        if want_p.shape != got_p.shape:
            return "probability shape differs"
        diff = float(np.max(np.abs(want_p - got_p))) if want_p.size else 0.0
        if not diff <= TOLERANCE:
            return f"probabilities differ by {diff:.3g}"
    return None


def _with_compiled(scorer: Scorer) -> Scorer:
    if scorer.model is None or scorer.schema is None:
        scorer.compile_note = "no scikit-learn model with a column schema"
        return scorer
    try:
        compiled = compile_model(scorer.model, scorer.schema.names)
        columns = probe_columns(scorer)
        problem = verify(scorer, compiled, columns)
    except Unsupported as exc:
        scorer.compile_note = f"not compiled: {exc}"
        return scorer
    except Exception as exc:  # anything unexpected: serve the model itself
        log.warning("compiled path not used: %s: %s", type(exc).__name__, exc)
        scorer.compile_note = f"not compiled: {type(exc).__name__}: {exc}"
        return scorer
    if problem:
        scorer.compile_note = f"not compiled: {problem}"
        return scorer
    scorer.compiled = compiled
    scorer.compile_note = f"compiled ({compiled.description}), verified on {len(next(iter(columns.values())))} probe rows"
    return scorer
