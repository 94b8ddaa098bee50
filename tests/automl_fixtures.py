"""Shared AutoML test data: the HR table, small synthetic tables, and one HR run (session-scoped, so the
AutoML and the serving tests share it)."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from modelyard.spec.automl import AutoMLJob


def make_job(task="classification", target="Attrition", seconds=20.0, **extra) -> AutoMLJob:
    limits = extra.pop("limits", {})
    return AutoMLJob(task=task, training_data="train.csv", target_column_name=target,
                     limits={"timeout_minutes": seconds / 60, **limits}, **extra)


class Recorder:
    """A reporter that keeps every call."""

    def __init__(self):
        self.calls: list[tuple[str, tuple]] = []

    def __getattr__(self, name):
        if not name.startswith("on_"):
            raise AttributeError(name)
        return lambda *args: self.calls.append((name, args))

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


@pytest.fixture(scope="session")
def hr(hr_csv) -> pd.DataFrame:
    return pd.read_csv(hr_csv, encoding="utf-8-sig")


@pytest.fixture(scope="session")
def hr_split(hr):
    from sklearn.model_selection import train_test_split

    return train_test_split(hr, test_size=0.25, stratify=hr["Attrition"], random_state=0)


@pytest.fixture(scope="session")
def hr_run(hr_split):
    """One classification run on 75% of HR: two concurrent trials, ended by max_trials (the first round of
    defaults: HistGradientBoosting, LogisticRegression, LightGBM, XGBoost, ExtraTrees, RandomForest) well within
    its budget on any machine."""
    from modelyard.automl import run_automl

    train, _ = hr_split
    reporter = Recorder()
    job = make_job(seconds=90, limits={"max_concurrent_trials": 2, "max_trials": 6})
    started = time.monotonic()
    result = run_automl(job, train, reporter=reporter)
    return result, reporter, time.monotonic() - started


@pytest.fixture(scope="session")
def regression_table() -> pd.DataFrame:
    from sklearn.datasets import load_diabetes

    data = load_diabetes(as_frame=True)
    frame = data.frame.rename(columns={"target": "progression"})
    rng = np.random.default_rng(0)
    frame["region"] = rng.choice(["north", "south", "east", "west"], len(frame))
    frame.loc[rng.choice(len(frame), 30, replace=False), "bmi"] = np.nan
    return frame
