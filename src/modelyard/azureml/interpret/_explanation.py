"""A v1 explanation object (``interpret_community``'s) over the explain engine's ``Explanation`` record."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from modelyard.azureml._v1 import RefuseOtherMembers
from modelyard.errors import InvalidInput


class V1Explanation(RefuseOtherMembers):
    """What ``explain_global`` / ``explain_local`` / ``download_model_explanation`` return. Names and values are
    over the raw columns when the model's pipeline traces back to them, else over the engineered ones
    (``raw=False`` picks the engineered ones). ``classes``: the model's class labels, which name a binary
    classifier's negative class."""

    _equivalents = {"visualize": "the model's Explanations tab in the studio (after upload_model_explanation)"}

    def __init__(self, explanation: Any, raw: bool | None = None, classes: list[Any] | None = None) -> None:
        self.explanation = explanation
        self.model_classes = None if classes is None else [str(c) for c in classes]
        self._view = explanation.engineered if raw is False or explanation.raw is None else explanation.raw

    @property
    def features(self) -> list[str]:
        return list(self._view.features)

    @property
    def is_raw(self) -> bool:
        return self._view is self.explanation.raw

    @property
    def method(self) -> str:
        return self.explanation.method

    @property
    def _regression(self) -> bool:
        return [o.output for o in self._view.outputs] == ["prediction"]

    @cached_property
    def _outputs(self) -> list[Any]:
        """One per class, as interpret-community gives them. The engine explains a binary classifier's positive
        class only; its negative class is the mirror image: contributions negated, and the base value negated
        (log-odds, raw score) or its complement (probability)."""
        outputs = list(self._view.outputs)
        if self._regression or len(outputs) != 1:
            return outputs
        positive = outputs[0]
        base = 1 - positive.base_value if self.explanation.model_output == "probability" else -positive.base_value
        negative = positive.model_copy(update={
            "output": self._negative_class(positive.output), "base_value": base,
            "contributions": [[-value for value in row] for row in positive.contributions]})
        return [negative, positive]

    def _negative_class(self, positive: str) -> str:
        others = [label for label in self.model_classes or [] if label != positive]
        if len(others) != 1:
            raise InvalidInput(f"this explanation of a binary classifier does not record its classes (only "
                               f"{positive!r}); explain the model again and upload that explanation")
        return others[0]

    @property
    def classes(self) -> list[str] | None:
        return None if self._regression else [o.output for o in self._outputs]

    @property
    def expected_values(self) -> float | list[float]:
        values = [o.base_value for o in self._outputs]
        return values[0] if self._regression else values

    # -- global -----------------------------------------------------------------------------
    @property
    def global_importance_values(self) -> list[float]:
        """Per feature (in ``features`` order): mean |contribution|, averaged over the explained classes."""
        outputs = self._outputs
        return [sum(o.global_importance[i] for o in outputs) / len(outputs) for i in range(len(self.features))]

    @property
    def per_class_values(self) -> list[list[float]]:
        """``[class][feature]`` (in ``features`` order): mean |contribution| for each class."""
        return [list(o.global_importance) for o in self._outputs]

    def get_ranked_per_class_names(self, top_k: int | None = None) -> list[list[str]]:
        """Per class, feature names by importance for that class, most important first."""
        return self._rank(self.per_class_values, top_k, names=True)

    def get_ranked_per_class_values(self, top_k: int | None = None) -> list[list[float]]:
        return self._rank(self.per_class_values, top_k, names=False)

    def _ranked(self) -> list[tuple[str, float]]:
        return sorted(zip(self.features, self.global_importance_values), key=lambda item: -item[1])

    def get_feature_importance_dict(self, top_k: int | None = None) -> dict[str, float]:
        """``{feature: importance}``, most important first."""
        return dict(self._ranked()[:top_k])

    def get_ranked_global_names(self, top_k: int | None = None) -> list[str]:
        return [name for name, _ in self._ranked()[:top_k]]

    def get_ranked_global_values(self, top_k: int | None = None) -> list[float]:
        return [value for _, value in self._ranked()[:top_k]]

    # -- local ------------------------------------------------------------------------------
    @property
    def local_importance_values(self) -> list:
        """v1's shape: ``[row][feature]`` for a regression, ``[class][row][feature]`` for a classifier."""
        per_output = [o.contributions for o in self._outputs]
        return per_output[0] if self._regression else per_output

    def _ranked_local(self, top_k: int | None, names: bool) -> list:
        per_output = [self._rank(o.contributions, top_k, names) for o in self._outputs]
        return per_output[0] if self._regression else per_output

    def _rank(self, rows: list[list[float]], top_k: int | None, names: bool) -> list[list]:
        """Each row's feature names (or values) by |value|, largest first."""
        ranked = []
        for row in rows:
            order = sorted(range(len(row)), key=lambda i: -abs(row[i]))[:top_k]
            ranked.append([self.features[i] if names else row[i] for i in order])
        return ranked

    def get_ranked_local_names(self, top_k: int | None = None) -> list:
        """Per row (per class first, for a classifier), feature names by |contribution|, largest first."""
        return self._ranked_local(top_k, names=True)

    def get_ranked_local_values(self, top_k: int | None = None) -> list:
        return self._ranked_local(top_k, names=False)

    def __repr__(self) -> str:
        kind = "raw" if self.is_raw else "engineered"
        return f"Explanation({self.method}, {len(self.features)} {kind} features, {len(self.explanation.local_rows)} rows)"
