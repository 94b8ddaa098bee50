"""Values a model never saw in training in its categorical columns, reported as response warnings.

The model still answers (its encoder ignores the unknown category, or a target encoder uses the
mean), as Azure does; the response says so. Categories are read off the fitted encoders
(``categories_``) of the pipeline's first ColumnTransformer: a scikit-learn pipeline or an AutoML
model. Where the encoder's categories are text and the column reaches it as numbers (AutoML reads
every categorical column as text), a value is compared by its text.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

MAX_LISTED = 100  # warnings listed in one response; the rest are counted in a last entry
MESSAGE = "value never seen in training; treated as unknown"


def fitted_categories(model: Any) -> dict[str, list]:
    """Categories each encoded input column knows (missing values left out), by column name."""
    out: dict[str, list] = {}
    steps = [s for _, s in getattr(model, "steps", [])] or [model]
    ct = steps[0]
    names = [str(n) for n in getattr(ct, "feature_names_in_", [])]
    indices = getattr(ct, "_transformer_to_input_indices", {})
    for name, trans, _ in getattr(ct, "transformers_", []):
        cols = [names[i] for i in indices.get(name, [])]
        for step in [s for _, s in getattr(trans, "steps", [])] or [trans]:
            cats = getattr(step, "categories_", None)
            if cats is not None:
                for col, c in zip(cols, cats):
                    out[col] = [v for v in np.asarray(c).tolist() if v is not None and v == v]
                break
    return out


class UnseenCategories:
    """Checks request columns against the categories the model was trained on."""

    def __init__(self, known: dict[str, list]) -> None:
        self.known = {col: frozenset(values) for col, values in known.items() if values}
        self.as_text = {col: all(isinstance(v, str) for v in values) for col, values in self.known.items()}
        # the per-request check is one C-level issuperset per column: text categories also hold the
        # numbers they read as, so a numeric column that AutoML encodes as text passes it too
        self._fast = tuple((col, known | _numbers_of(known) if self.as_text[col] else known)
                           for col, known in self.known.items())

    @classmethod
    def of(cls, model: Any) -> "UnseenCategories | None":
        """The checker for ``model``, or None when it has no fitted encoder to read."""
        try:
            known = fitted_categories(model) if model is not None else {}
        except Exception:  # noqa: BLE001 - a custom pipeline: no warnings rather than no model
            return None
        checker = cls(known)
        return checker if checker.known else None

    def find(self, columns: dict[str, list]) -> Counter | None:
        """Per column, how many values of ``columns`` the model never saw; None when none."""
        counts = None
        for col, fast in self._fast:
            values = columns.get(col)
            if values is None or fast.issuperset(values):
                continue
            unseen = sum(1 for v in values if self._unseen(col, v))
            if unseen:
                counts = counts or Counter()
                counts[col] = unseen
        return counts

    def warnings(self, columns: dict[str, list], counts: Counter) -> list[dict[str, Any]]:
        """The response's ``warnings``: one entry per unseen value (row order), at most ``MAX_LISTED``."""
        listed: list[dict[str, Any]] = []
        total = sum(counts.values())
        for col in counts:
            for row, v in enumerate(columns[col]):
                if len(listed) == MAX_LISTED:
                    break
                if self._unseen(col, v):
                    listed.append({"row": row, "column": col, "value": v, "message": MESSAGE})
        listed.sort(key=lambda w: (w["row"], w["column"]))
        if total > len(listed):
            listed.append({"message": f"{total - len(listed)} more values never seen in training are not listed",
                           "count": total - len(listed)})
        return listed

    def _unseen(self, col: str, value: Any) -> bool:
        if value is None or value != value:  # a missing value is not a category
            return False
        return (str(value) if self.as_text[col] else value) not in self.known[col]


def _numbers_of(categories: frozenset) -> set:
    """The numbers text categories read as ("1" -> 1, "2.5" -> 2.5), for the fast check only."""
    numbers = set()
    for text in categories:
        try:
            number = float(text)
        except ValueError:
            continue
        if str(number) == text or (number.is_integer() and str(int(number)) == text):
            numbers.add(number)
    return numbers
