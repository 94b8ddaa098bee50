"""What a run hands back: one TrialResult per trial (ensembles included) and the AutoMLResult around them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from modelyard.spec.job_status import TrialStatus

STATUS_ORDER = {TrialStatus.COMPLETED: 0, TrialStatus.EARLY_TERMINATED: 1, TrialStatus.FAILED: 2}


@dataclass
class TrialResult:
    trial_id: str
    algorithm: str
    params: dict[str, Any]
    featurization: str
    metrics: dict[str, float] = field(default_factory=dict)
    primary: float | None = None
    duration_seconds: float = 0.0
    status: TrialStatus = TrialStatus.COMPLETED
    error: str | None = None
    charts: dict[str, Any] = field(default_factory=dict)
    model: Any = field(default=None, repr=False)   # Pipeline(featurize, model) on raw columns, or None
    fold_scores: list[float] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)   # ensembles: [{"trial_id", "weight"}]
    placement: dict[str, Any] = field(default_factory=dict)       # {"executor", ...where it ran}

    def summary(self) -> dict[str, Any]:
        """A JSON-ready row (no model, no charts)."""
        return {"trial_id": self.trial_id, "algorithm": self.algorithm, "params": self.params,
                "featurization": self.featurization, "primary": self.primary, "status": self.status,
                "duration_seconds": round(self.duration_seconds, 3), "error": self.error, "metrics": self.metrics,
                "members": self.members}


@dataclass
class AutoMLResult:
    task: str
    primary_metric: str
    trials: list[TrialResult]
    best: TrialResult
    featurization: list[dict[str, Any]]
    guardrails: list[dict[str, Any]]
    classes: list[Any] | None
    timings: dict[str, float]
    validation: str = ""

    def leaderboard(self) -> list[dict[str, Any]]:
        return [t.summary() for t in self.trials]


def leaderboard_order(trials: list[TrialResult], greater_is_better: bool) -> list[TrialResult]:
    def key(t: TrialResult):
        value = t.primary if t.primary is not None and math.isfinite(t.primary) else None
        score = -math.inf if value is None else (value if greater_is_better else -value)
        return (STATUS_ORDER.get(t.status, 3), -score)

    return sorted(trials, key=key)
