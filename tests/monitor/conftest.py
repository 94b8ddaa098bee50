"""Helpers for the monitor engine's tests: the HR table, and reading one metric out of a result."""

from __future__ import annotations

import pytest

from modelyard.spec.monitor import MetricResult, SignalResult


@pytest.fixture(scope="session")
def hr(hr_csv):
    import pandas as pd

    return pd.read_csv(hr_csv, encoding="utf-8-sig")


def feature(result: SignalResult, name: str):
    return next(f for f in result.features if f.feature == name)


def metric(result: SignalResult, name: str, metric_name: str) -> MetricResult:
    return next(m for m in feature(result, name).metrics if m.metric == metric_name)
