"""Featurization: infer each raw column's purpose, build one sklearn transformer, summarise it.

Purposes: Numeric, Categorical (one-hot when few values, target or hash encoding when many),
DateTime (calendar parts), Text (TF-IDF), and the dropped ones: Identifier, Constant, Empty,
Ignore. Under pandas 3 text columns have the ``str`` dtype, so "not numeric" is what selects
them, never ``object``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from modelyard._json import plain
from modelyard.errors import InvalidInput

MAX_ONE_HOT = 30           # categories up to which a column is one-hot encoded
MIN_ROWS_FOR_ID = 30       # an all-unique column needs this many rows to be called an identifier
TFIDF_MAX_FEATURES = 100
DATETIME_PARTS = ("year", "month", "day", "day_of_week", "day_of_year")
TIME_PARTS = ("hour", "minute", "second")
DROPPED = ("Identifier", "Constant", "Empty", "Ignore")
MISSING = "(missing)"


@dataclass
class ColumnPlan:
    column: str
    purpose: str                    # Numeric | Categorical | DateTime | Text | Identifier | Constant | Empty | Ignore
    dtype: str
    reason: str = ""
    n_missing: int = 0
    n_unique: int = 0
    encoding: str = ""              # Categorical: onehot | target | hash
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def dropped(self) -> bool:
        return self.purpose in DROPPED


# ---- functions used inside the fitted transformer (module level so models pickle by reference)

def as_category_strings(X):
    frame = pd.DataFrame(X)
    return frame.astype(object).where(frame.notna(), MISSING).astype(str).to_numpy(dtype=object)


def as_numbers(X):
    frame = pd.DataFrame(X)
    return frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)


def as_text(X):
    values = pd.Series(np.asarray(X, dtype=object).ravel() if not isinstance(X, pd.Series) else X)
    return values.astype(object).where(values.notna(), "").astype(str).tolist()


def as_hash_tokens(X):
    values = pd.Series(np.asarray(X, dtype=object).ravel() if not isinstance(X, pd.Series) else X)
    return [[str(v)] for v in values.astype(object).where(values.notna(), MISSING)]


def datetime_parts(X, parts=DATETIME_PARTS):
    frame = pd.DataFrame(X)
    out = {}
    for column in frame.columns:
        stamps = pd.to_datetime(frame[column], errors="coerce", format="mixed") if not \
            pd.api.types.is_datetime64_any_dtype(frame[column]) else frame[column]
        for part in parts:
            out[f"{column}_{part}"] = getattr(stamps.dt, part).astype(float)
    return pd.DataFrame(out, index=frame.index).to_numpy(dtype=float)


def datetime_part_names(transformer, input_features):
    parts = (transformer.kw_args or {}).get("parts", DATETIME_PARTS)
    return np.asarray([f"{c}_{p}" for c in input_features for p in parts], dtype=object)


# ---- purpose inference

def _looks_like_datetime(values: pd.Series) -> bool:
    sample = values.dropna().astype(str).head(500)
    if sample.empty or not sample.str.contains(r"\d").all() or not sample.str.contains(r"[-/:]").mean() > 0.9:
        return False
    if sample.str.len().min() < 6:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(sample, errors="coerce", format="mixed")
    return parsed.notna().mean() >= 0.95


def _looks_like_text(values: pd.Series, n_unique: int) -> bool:
    sample = values.dropna().astype(str).head(1000)
    return n_unique > MAX_ONE_HOT and sample.str.split().str.len().mean() >= 3


def _shown(value: Any) -> str:
    """A data value as a user reads it: ``1`` or ``'Yes'``, never ``np.int64(1)``."""
    value = plain(value)
    return repr(value) if isinstance(value, str) else str(value)


def infer_column(name: str, values: pd.Series, max_one_hot: int = MAX_ONE_HOT) -> ColumnPlan:
    n = len(values)
    non_null = values.dropna()
    n_unique = int(non_null.nunique())
    plan = ColumnPlan(name, "Numeric", str(values.dtype), n_missing=int(n - len(non_null)), n_unique=n_unique)
    if non_null.empty:
        plan.purpose, plan.reason = "Empty", "every value is missing"
        return plan
    if n_unique <= 1:
        plan.purpose, plan.reason = "Constant", f"a single value ({_shown(non_null.iloc[0])})"
        return plan
    if pd.api.types.is_datetime64_any_dtype(values):
        plan.purpose = "DateTime"
        return plan
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        as_float = pd.to_numeric(non_null, errors="coerce").astype(float)
        integral = bool(np.all(np.mod(as_float, 1) == 0))
        if integral and n_unique == n and n >= MIN_ROWS_FOR_ID and not pd.api.types.is_bool_dtype(values):
            plan.purpose, plan.reason = "Identifier", "integer values, all distinct (a row id)"
        return plan
    if _looks_like_datetime(values):
        plan.purpose = "DateTime"
        return plan
    if _looks_like_text(values, n_unique):
        plan.purpose, plan.reason = "Text", "free text (several words per value)"
        return plan
    if len(non_null) >= MIN_ROWS_FOR_ID and n_unique >= 0.9 * len(non_null):
        plan.purpose, plan.reason = "Identifier", f"{n_unique} distinct values in {len(non_null)} rows"
        return plan
    plan.purpose = "Categorical"
    plan.encoding = "onehot" if n_unique <= max_one_hot else "target"
    if plan.encoding == "target":
        plan.reason = f"high cardinality ({n_unique} values)"
    return plan


def _param_entries(params: dict[str, Any], key: str) -> list[tuple[list[str], dict[str, Any]]]:
    """Azure's transformer_params shape: {"imputer": [{"fields": [...], "parameters": {...}}]}."""
    entries = params.get(key) or []
    if isinstance(entries, dict):
        entries = [entries]
    out = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("fields"), list):
            raise InvalidInput(f"featurization.transformer_params.{key} entries need 'fields' (a list of columns) "
                               "and 'parameters'")
        out.append((list(entry["fields"]), dict(entry.get("parameters") or {})))
    return out


def plan_columns(frame: pd.DataFrame, featurization, task: str) -> list[ColumnPlan]:
    """One plan per raw feature column of ``frame`` (target and weight already removed)."""
    mode = featurization.mode
    params = dict(featurization.transformer_params or {})
    max_one_hot = int(params.get("max_one_hot_categories", MAX_ONE_HOT))
    unknown = [c for c in list(featurization.column_name_and_types) + list(featurization.drop_columns)
               if c not in frame.columns]
    if unknown:
        raise InvalidInput(f"featurization names column(s) {', '.join(map(repr, unknown))} that the training data "
                           f"does not have; columns are: {', '.join(map(str, frame.columns))}")
    plans = []
    for column in frame.columns:
        values = frame[column]
        if column in featurization.drop_columns:
            plans.append(ColumnPlan(column, "Ignore", str(values.dtype), reason="listed in drop_columns"))
            continue
        plan = infer_column(column, values, max_one_hot)
        forced = featurization.column_name_and_types.get(column)
        if mode == "off":
            if plan.purpose in ("Empty", "Constant"):
                pass
            elif not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
                raise InvalidInput(f"featurization mode 'off' needs numeric columns, but column {column!r} is "
                                   f"{values.dtype}; use mode 'auto' or list it in drop_columns")
            else:
                plan.purpose, plan.reason = "Numeric", "featurization off"
        elif forced:
            plan.purpose = forced
            plan.reason = "set in column_name_and_types"
            if forced == "Categorical":
                plan.encoding = "onehot" if plan.n_unique <= max_one_hot else "target"
            if plan.n_missing == len(values):
                plan.purpose, plan.reason = "Empty", "every value is missing"
        plans.append(plan)
    by_name = {p.column: p for p in plans}
    for fields, parameters in _param_entries(params, "imputer"):
        for column in fields:
            plan = by_name.get(column)
            if plan is None or plan.purpose != "Numeric":
                raise InvalidInput(f"transformer_params.imputer applies to numeric columns; {column!r} is "
                                   f"{plan.purpose if plan else 'not a column'}")
            strategy = parameters.get("strategy", "mean")
            if strategy not in ("mean", "median", "most_frequent", "constant"):
                raise InvalidInput(f"imputer strategy {strategy!r} is unknown; use mean, median, most_frequent "
                                   "or constant")
            plan.options["imputer"] = {"strategy": strategy, **({"fill_value": parameters["fill_value"]}
                                                                if "fill_value" in parameters else {})}
    for fields, parameters in _param_entries(params, "hash_one_hot_encoder"):
        for column in fields:
            plan = by_name.get(column)
            if plan is None or plan.dropped:
                raise InvalidInput(f"transformer_params.hash_one_hot_encoder names {column!r}, which is not a "
                                   "used column")
            plan.purpose, plan.encoding = "Categorical", "hash"
            plan.options["number_of_bits"] = int(parameters.get("number_of_bits", 8))
    for plan in plans:
        if plan.purpose == "DateTime":
            stamps = frame[plan.column]
            if not pd.api.types.is_datetime64_any_dtype(stamps):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    stamps = pd.to_datetime(stamps, errors="coerce", format="mixed")
            has_time = bool(((stamps.dt.hour != 0) | (stamps.dt.minute != 0) | (stamps.dt.second != 0)).any())
            plan.options["parts"] = list(DATETIME_PARTS + (TIME_PARTS if has_time else ()))
        if plan.purpose == "Text":
            plan.options["max_features"] = int(params.get("tfidf_max_features", TFIDF_MAX_FEATURES))
    return plans


# ---- the transformer

def build_featurizer(plans: list[ColumnPlan], task: str):
    """A ColumnTransformer over the raw columns (by name), dense float output."""
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction import FeatureHasher
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, TargetEncoder

    steps = []
    numeric_groups: dict[tuple, list[str]] = {}
    for plan in plans:
        if plan.purpose == "Numeric":
            key = tuple(sorted(plan.options.get("imputer", {"strategy": "mean"}).items()))
            numeric_groups.setdefault(key, []).append(plan.column)
    for i, (key, columns) in enumerate(numeric_groups.items()):
        imputer = dict(key)
        steps.append((f"numeric{i or ''}", make_pipeline(
            FunctionTransformer(as_numbers, feature_names_out="one-to-one"),
            SimpleImputer(add_indicator=True, keep_empty_features=True, **imputer)), columns))
    onehot = [p.column for p in plans if p.purpose == "Categorical" and p.encoding == "onehot"]
    if onehot:
        steps.append(("onehot", make_pipeline(
            FunctionTransformer(as_category_strings, feature_names_out="one-to-one"),
            OneHotEncoder(handle_unknown="ignore", sparse_output=False)), onehot))
    target = [p.column for p in plans if p.purpose == "Categorical" and p.encoding == "target"]
    if target:
        steps.append(("target", make_pipeline(
            FunctionTransformer(as_category_strings, feature_names_out="one-to-one"),
            TargetEncoder(target_type="continuous" if task == "regression" else "auto")), target))
    for plan in plans:
        if plan.purpose == "Categorical" and plan.encoding == "hash":
            steps.append((f"hash:{plan.column}", make_pipeline(
                FunctionTransformer(as_hash_tokens),
                FeatureHasher(n_features=2 ** plan.options["number_of_bits"], input_type="string",
                              alternate_sign=False)), plan.column))
        elif plan.purpose == "DateTime":
            steps.append((f"datetime:{plan.column}", make_pipeline(
                FunctionTransformer(datetime_parts, kw_args={"parts": plan.options["parts"]},
                                    feature_names_out=datetime_part_names),
                SimpleImputer(keep_empty_features=True)), [plan.column]))
        elif plan.purpose == "Text":
            steps.append((f"text:{plan.column}", make_pipeline(
                FunctionTransformer(as_text),
                TfidfVectorizer(max_features=plan.options["max_features"], ngram_range=(1, 2), sublinear_tf=True,
                                dtype=np.float32)), plan.column))
    if not steps:
        raise InvalidInput("no usable feature column is left after dropping identifier, constant, empty and "
                           "ignored columns; check the training data or featurization.drop_columns")
    return ColumnTransformer(steps, remainder="drop", sparse_threshold=0.0, verbose_feature_names_out=True)


def _step_features(name: str, transformer, columns, plans_by_name) -> dict[str, list[str]]:
    """Raw column -> engineered feature names, for one fitted step of the ColumnTransformer."""
    try:
        names = [str(n) for n in transformer.get_feature_names_out()]
    except (AttributeError, ValueError):
        names = []
    cols = [columns] if isinstance(columns, str) else list(columns)
    if name.startswith("numeric"):
        return {c: [n for n in names if n == c or n == f"missingindicator_{c}"] for c in cols}
    if name == "onehot":
        encoder = transformer[-1]
        out, start = {}, 0
        for c, cats in zip(cols, encoder.categories_):
            out[c] = names[start:start + len(cats)]
            start += len(cats)
        return out
    if name == "target":
        per = max(len(names) // max(len(cols), 1), 1)
        return {c: names[i * per:(i + 1) * per] for i, c in enumerate(cols)}
    if name.startswith("hash:"):
        return {cols[0]: [f"{cols[0]}_hash{i}" for i in range(transformer[-1].n_features)]}
    if name.startswith("text:"):
        vocab = transformer[-1].get_feature_names_out()
        return {cols[0]: [f"{cols[0]}_tfidf_{w}" for w in vocab]}
    return {cols[0]: names}


TRANSFORMS = {
    "Numeric": lambda p: (["MissingIndicator", f"{p.options.get('imputer', {}).get('strategy', 'mean').title()}"
                           "Imputer"] if p.n_missing else []),
    "Categorical": lambda p: {"onehot": ["ModeOrMissingCategory", "OneHotEncoder"],
                              "target": ["ModeOrMissingCategory", "TargetEncoder (cross-fitted)"],
                              "hash": ["HashOneHotEncoder"]}[p.encoding],
    "DateTime": lambda p: ["DateTimeParts", "MeanImputer"],
    "Text": lambda p: ["TfidfVectorizer (word 1-2 grams)"],
}


def summarize(plans: list[ColumnPlan], featurizer) -> list[dict[str, Any]]:
    """Azure-like featurization summary: each raw column, its detected type, what became of it."""
    plans_by_name = {p.column: p for p in plans}
    engineered: dict[str, list[str]] = {}
    for name, transformer, columns in featurizer.transformers_:
        if name == "remainder" or transformer == "drop":
            continue
        engineered.update(_step_features(name, transformer, columns, plans_by_name))
    rows = []
    for plan in plans:
        features = [] if plan.dropped else engineered.get(plan.column, [])
        rows.append({
            "raw_feature_name": plan.column,
            "type_detected": plan.purpose,
            "dtype": plan.dtype,
            "dropped": plan.dropped,
            "reason": plan.reason,
            "missing_values": plan.n_missing,
            "distinct_values": plan.n_unique,
            "engineered_feature_count": len(features),
            "engineered_features": features,
            "transformations": [] if plan.dropped else TRANSFORMS.get(plan.purpose, lambda p: [])(plan),
        })
    return rows
