"""Fixtures for the scoring engine: attrition models saved every way a user may bring them,
and a real scoring process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from modelyard.automl._mlflow import requirements

DROPPED = ["EmployeeCount", "EmployeeNumber", "Over18", "StandardHours"]
CATEGORICAL = ["BusinessTravel", "Department", "EducationField", "Gender", "JobRole", "MaritalStatus", "OverTime"]


def hr_frame(hr_csv: Path):
    import pandas as pd

    df = pd.read_csv(hr_csv, encoding="utf-8-sig")
    y = (df.pop("Attrition") == "Yes").astype(int)
    return df.drop(columns=DROPPED), y, df


def pipeline(kind: str, X, y):
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

    numeric = [c for c in X.columns if c not in CATEGORICAL]
    if kind == "lr":
        from sklearn.linear_model import LogisticRegression

        pre = ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
                                 ("num", StandardScaler(), numeric)])
        model = Pipeline([("pre", pre), ("clf", LogisticRegression(max_iter=2000))])
    else:
        from lightgbm import LGBMClassifier

        pre = ColumnTransformer([("cat", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1),
                                  CATEGORICAL)], remainder="passthrough")
        model = Pipeline([("pre", pre), ("clf", LGBMClassifier(n_estimators=60, num_leaves=15, verbose=-1))])
    return model.fit(X, y)


def save_mlflow(model, X, path: Path, fmt: str, trusted=None) -> Path:
    import mlflow.sklearn
    from mlflow.models import infer_signature

    example = X.head(5)
    kwargs = {"skops_trusted_types": trusted} if trusted else {}
    mlflow.sklearn.save_model(model, str(path), serialization_format=fmt,
                              signature=infer_signature(example, model.predict(example)),
                              input_example=example, pip_requirements=requirements(), **kwargs)
    return path


@pytest.fixture(scope="session")
def hr_data(hr_csv):
    return hr_frame(hr_csv)


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory, hr_data) -> dict[str, Path]:
    """Model folders: lr_skops (MLflow default format), lgbm_cloudpickle, lgbm_skops (no trusted
    types recorded: LightGBM trusted by the engine), pickle (a folder with model.pkl)."""
    import joblib

    X, y, _ = hr_data
    root = tmp_path_factory.mktemp("models")
    lr = pipeline("lr", X, y)
    lgbm = pipeline("lgbm", X, y)
    out = {
        "lr_skops": save_mlflow(lr, X, root / "lr_skops", "skops"),
        "lgbm_cloudpickle": save_mlflow(lgbm, X, root / "lgbm_cloudpickle", "cloudpickle"),
    }
    try:
        out["lgbm_skops"] = save_mlflow(lgbm, X, root / "lgbm_skops", "skops",
                                        trusted=["lightgbm.sklearn.LGBMClassifier", "lightgbm.basic.Booster",
                                                 "collections.OrderedDict"])
    except Exception:  # noqa: BLE001 - a skops version that refuses to save is not the engine's problem
        pass
    (root / "pickle").mkdir()
    joblib.dump(lr, root / "pickle" / "model.pkl")
    out["pickle"] = root / "pickle"
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ScoringProcess:
    def __init__(self, args: list[str], env: dict | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "modelyard.serving", *args, "--host", "127.0.0.1", "--port", str(self.port)]
        self._log = tempfile.TemporaryFile()  # gone when closed: nothing of a test is left in /tmp
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"scoring process exited {self.proc.returncode}:\n{self.output()}")
            try:
                if httpx.get(self.url + "/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                output = self.output()
                self.stop()
                raise RuntimeError(f"scoring process not ready in 60 s:\n{output}")
            time.sleep(0.1)
        self.client = httpx.Client(base_url=self.url, timeout=30)

    def output(self) -> str:
        self._log.flush()
        return os.pread(self._log.fileno(), os.fstat(self._log.fileno()).st_size, 0).decode(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


@pytest.fixture
def serve():
    """``serve(*args, env=...)`` starts a scoring process and stops it after the test."""
    started: list[ScoringProcess] = []

    def start(*args: str, env: dict | None = None) -> ScoringProcess:
        p = ScoringProcess([str(a) for a in args], env)
        started.append(p)
        return p

    yield start
    for p in started:
        p.stop()

