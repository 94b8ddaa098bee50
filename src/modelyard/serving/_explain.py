"""Per-request explanations: each scored row's contributions next to its ``result``.

A deployment created with ``explain: true`` (the scoring process's ``--explain``) prepares the model's
explainer once, when the model loads. A request then asks with ``"explain": true`` in the body or
``?explain=true``, and ``"explain_top": k`` (``?explain_top=k``; 5 by default, ``all`` for every feature).
The answer gains, after ``result``::

    "explanation": {"method": "tree", "model_output": "log_odds", "view": "raw",
                    "outputs": [{"output": "1", "base_value": -2.31,
                                 "contributions": [{"OverTime": 0.91, "MonthlyIncome": 0.42, ...}, ...]}]}

one object per row, its largest contributions by magnitude first. They are the offline engine's
(``modelyard model explain``) on the same rows: tree SHAP on the model's raw output (log-odds for a
classifier), summed back to the raw columns where the pipeline traces them (``view: raw``); base value +
all of a row's contributions = that raw output. Only tree models qualify (their exact method takes
microseconds a row); anything else, or a deployment without ``explain: true``, answers 400 saying why.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

log = logging.getLogger("modelyard.serving")

NOT_ENABLED = ("this deployment does not explain its predictions; deploy it with `explain: true` (or "
               "`modelyard online-deployment update NAME -e ENDPOINT --explain`) to ask for explanations")


class EndpointExplainer:
    """A served model's explainer; ``answer(parsed)`` is the ``explanation`` of one scored request."""

    def __init__(self, scorer: Any) -> None:
        from modelyard.explain import RowExplainer

        self.scorer = scorer
        self.rows = RowExplainer(scorer.model)   # InvalidInput when the model has no fast exact method
        self._compiled = self._compiled_transform(scorer)

    def _compiled_transform(self, scorer: Any):
        """The compiled path's preprocessing when it yields exactly the pipeline's matrix on the probe rows."""
        from modelyard.serving._compiled import Fallback
        from modelyard.serving._model import probe_columns

        compiled = scorer.compiled
        if compiled is None:
            return None
        try:
            columns = probe_columns(scorer)
            same = np.array_equal(compiled.transform(columns), self.rows.transform(scorer.frame(columns)))
        except (Fallback, ValueError, TypeError, KeyError) as exc:
            log.info("explanations read the model's own preprocessing: %s", exc)
            return None
        return compiled.transform if same else None

    def _matrix(self, columns: dict[str, list], records: list | None) -> np.ndarray:
        if self._compiled is not None:
            from modelyard.serving._compiled import Fallback

            try:
                return self._compiled(columns)
            except Fallback:
                pass
        return self.rows.transform(self.scorer.frame(columns, records))

    def answer(self, columns: dict[str, list], records: list | None, top: int) -> dict[str, Any]:
        found = self.rows.explain(self._matrix(columns, records))
        features = found.features
        keep = len(features) if top == 0 else min(top, len(features))
        outputs = []
        for k, label in enumerate(found.outputs):
            values = found.values[:, :, k]
            order = np.argsort(-np.abs(values), axis=1, kind="stable")[:, :keep]
            rows = [{features[j]: float(v) for j, v in zip(picked, row[picked])} for picked, row in zip(order, values)]
            outputs.append({"output": label, "base_value": float(found.base[k]), "contributions": rows})
        return {"method": found.method, "model_output": found.model_output, "view": found.view, "outputs": outputs}


def prepare(scorer: Any, enabled: bool) -> tuple[EndpointExplainer | None, str]:
    """The explainer of a loaded scorer, or None and the reason a request asking for one is refused."""
    if not enabled:
        return None, NOT_ENABLED
    if getattr(scorer, "model", None) is None:
        return None, ("this deployment serves a scoring script or a model without a scikit-learn flavour; "
                      "per-request explanations need the fitted tree model served directly")
    from modelyard.errors import InvalidInput

    try:
        return EndpointExplainer(scorer), ""
    except InvalidInput as exc:
        return None, str(exc)
