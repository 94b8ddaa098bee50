"""``explain_model``: global, local and dependence explanations of a fitted model, engineered and raw."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Literal

import numpy as np
import pandas as pd

from modelyard._phases import phase
from modelyard.errors import InvalidInput
from modelyard.explain import _methods
from modelyard.explain._model import UnwrappedModel, check_columns, unwrap
from modelyard.explain._raw_features import engineered_features, group_matrix
from modelyard.spec.explain import Dependence, Explanation, ExplanationView, OutputContributions

Method = Literal["auto", "tree", "linear", "permutation", "kernel"]


# with max_seconds: the rows timed first, to see how many more fit
FIRST_AGNOSTIC_ROWS, FIRST_EXACT_ROWS = 2, 32


def _rows(n: int, limit: int, rng: np.random.Generator) -> np.ndarray:
    return np.arange(n) if n <= limit else np.sort(rng.choice(n, limit, replace=False))


def _bounded(explain, rows: np.ndarray, seconds: float | None, first: int):
    """``explain(rows)``, or with ``seconds``, of the first ``first`` rows and as many more as the time those
    took says fit: (the rows explained, in ascending order, and their contributions)."""
    if seconds is None or len(rows) <= first:
        rows = np.sort(rows)
        return rows, explain(rows)
    started = time.monotonic()
    head = explain(rows[:first])
    spent = time.monotonic() - started
    more = int(max(seconds - spent, 0.0) * first / max(spent, 1e-6))
    if more > 0:
        tail = explain(rows[first:first + more])
        head = replace(head, values=np.concatenate([head.values, tail.values]))
    done = rows[:first + more]
    order = np.argsort(done, kind="stable")
    return done[order], replace(head, values=head.values[order])


def _take(X: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``X[rows]`` for ascending ``rows``, without copying ``X`` when they are all of it."""
    return X if len(rows) == len(X) else X[rows]


def _pick_method(unwrapped: UnwrappedModel, method: str, output: str) -> str:
    estimator = unwrapped.estimator
    name = type(estimator).__name__
    if method not in ("auto", "tree", "linear", *_methods.AGNOSTIC):
        raise InvalidInput(f"explanation method {method!r} is unknown; use auto, tree, linear, permutation or kernel")
    if output not in ("raw", "probability"):
        raise InvalidInput(f"explanation output {output!r} is unknown; use raw (log-odds or the model's raw score) "
                           "or probability")
    if output == "probability":
        if not unwrapped.is_classifier:
            raise InvalidInput(f"model {type(unwrapped.model).__name__} is a regressor: it has no probabilities to "
                               "explain; ask for output='raw' to explain its prediction")
        if not hasattr(unwrapped.model, "predict_proba"):
            raise InvalidInput(f"model {type(unwrapped.model).__name__} has no predict_proba, so its probabilities "
                               "cannot be explained; ask for output='raw' to explain its raw score")
        if method in ("tree", "linear"):
            raise InvalidInput(f"the {method} method explains the model's raw output (log-odds); for probabilities "
                               "use method permutation or kernel")
        return "permutation" if method == "auto" else method
    if method == "tree" and not _methods.is_tree(estimator):
        raise InvalidInput(f"the tree method needs a tree model (LightGBM, XGBoost, scikit-learn trees), not {name}; "
                           "use method auto")
    if method == "linear" and not _methods.is_linear(estimator):
        raise InvalidInput(f"the linear method needs a scikit-learn linear model, not {name}; use method auto")
    if method != "auto":
        return method
    if _methods.is_tree(estimator):
        return "tree"
    if _methods.is_linear(estimator):
        return "linear"
    return "permutation"


def _view(features: list[str], data: list[list], values: np.ndarray, local: np.ndarray, contributions,
          top_features: int) -> ExplanationView:
    outputs, dependence = [], []
    for k, label in enumerate(contributions.outputs):
        importance = np.abs(values[:, :, k]).mean(axis=0)
        outputs.append(OutputContributions(output=label, base_value=float(contributions.base[k]),
                                           global_importance=importance.tolist(),
                                           contributions=values[local, :, k].tolist()))
        for j in np.argsort(-importance, kind="stable")[:top_features]:
            dependence.append(Dependence(feature=features[j], output=label,
                                         values=[row[j] for row in data],
                                         contributions=values[local, j, k].tolist()))
    return ExplanationView(features=features, data=data, outputs=outputs, dependence=dependence)


def _json_value(value):
    if isinstance(value, (bool, int, str)):
        return value
    if value is None or pd.isna(value):
        return None
    return value if isinstance(value, float) else str(value)   # timestamps and the like, as text


def _plain_rows(frame: pd.DataFrame) -> list[list]:
    """Rows of JSON-ready values (``Series.tolist`` gives Python scalars; missing values become None)."""
    columns = [[_json_value(v) for v in frame[c].tolist()] for c in frame.columns]
    return [list(row) for row in zip(*columns)]


def explain_model(model, data: pd.DataFrame, *, method: Method = "auto", output: str = "raw",
                  local_rows: int = 1000, agnostic_rows: int = 100, background_rows: int = 100,
                  top_features: int = 5, seed: int = 0, max_seconds: float | None = None) -> Explanation:
    """Explain ``model`` (a fitted scikit-learn compatible model or pipeline) on the rows of ``data``.

    Exact methods (tree, linear) evaluate every row for global importance and keep up to
    ``local_rows`` of them (a seeded sample beyond that) as local explanations; model-agnostic
    methods evaluate a sample of ``agnostic_rows`` against ``background_rows`` background rows.
    ``max_seconds`` bounds the contributions' time: the rows are then a seeded sample, as many as the
    first few rows' time says fit (at least those first few). Inside ``modelyard._phases.recording()``
    the wall and CPU seconds of each phase are recorded.
    """
    for name, value in (("local_rows", local_rows), ("agnostic_rows", agnostic_rows),
                        ("background_rows", background_rows)):
        if value < 1:
            raise InvalidInput(f"{name} must be at least 1, got {value}")
    unwrapped = unwrap(model)
    frame = check_columns(unwrapped, data)
    chosen = _pick_method(unwrapped, method, output)
    rng = np.random.default_rng(seed)
    with phase("transform"):
        X = unwrapped.transform(frame)
    background = X[_rows(len(X), background_rows, rng)]
    estimator, classes = unwrapped.estimator, unwrapped.classes
    with phase("contributions"):
        if chosen in _methods.AGNOSTIC:
            candidates = _rows(len(X), min(agnostic_rows, local_rows), rng)
            evaluated, contributions = _bounded(lambda rows: _methods.agnostic_contributions(
                estimator, _take(X, rows), background, classes, chosen, output, seed), candidates, max_seconds,
                FIRST_AGNOSTIC_ROWS)
            local = np.arange(len(evaluated))
        else:
            candidates = np.arange(len(X)) if max_seconds is None else rng.permutation(len(X))
            explainer = _methods.tree_explainer(estimator) if chosen == "tree" else None

            def explain(rows):
                if chosen == "tree":
                    return _methods.tree_contributions(estimator, _take(X, rows), classes, explainer)
                return _methods.linear_contributions(estimator, _take(X, rows), X, classes)

            evaluated, contributions = _bounded(explain, candidates, max_seconds, FIRST_EXACT_ROWS)
            local = _rows(len(evaluated), local_rows, rng)
    positions = evaluated[local]
    names, sources = engineered_features(unwrapped, X.shape[1])
    values = contributions.values
    with phase("engineered_view"):
        engineered = _view(names, X[positions].tolist(), values, local, contributions, top_features)
    raw, raw_features = None, {}
    if sources is not None:
        with phase("raw_view"):
            raw_names, grouping = group_matrix(sources)
            raw_values = np.einsum("nfk,fr->nrk", values, grouping)
            raw = _view(raw_names, _plain_rows(frame.iloc[positions][raw_names]), raw_values, local,
                        contributions, top_features)
            raw_features = {r: [n for n, s in zip(names, sources) if s == r] for r in raw_names}
    return Explanation(method=contributions.method, model_output=contributions.model_output,
                       estimator=type(unwrapped.estimator).__name__, rows_total=len(frame),
                       rows_evaluated=len(evaluated), local_rows=positions.tolist(),
                       sampled=len(positions) < len(frame), background_rows=contributions.background_rows,
                       engineered=engineered, raw=raw, raw_features=raw_features)
