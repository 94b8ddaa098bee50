"""A workspace server with an attrition model registered, for endpoint tests."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

WORKSHOP_ROW = {"Age": 41, "BusinessTravel": "Travel_Rarely", "DailyRate": 1102, "Department": "Sales",
                "DistanceFromHome": 1, "Education": 2, "EducationField": "Life Sciences",
                "EnvironmentSatisfaction": 2, "Gender": "Female", "HourlyRate": 94, "JobInvolvement": 3,
                "JobLevel": 2, "JobRole": "Sales Executive", "JobSatisfaction": 4, "MaritalStatus": "Single",
                "MonthlyIncome": 5993, "MonthlyRate": 19479, "NumCompaniesWorked": 8, "OverTime": "Yes",
                "PercentSalaryHike": 11, "PerformanceRating": 3, "RelationshipSatisfaction": 1,
                "StockOptionLevel": 0, "TotalWorkingYears": 8, "TrainingTimesLastYear": 0, "WorkLifeBalance": 1,
                "YearsAtCompany": 6, "YearsInCurrentRole": 4, "YearsSinceLastPromotion": 0,
                "YearsWithCurrManager": 5}
AUTOML_ROW = {**WORKSHOP_ROW, "EmployeeCount": 1, "EmployeeNumber": 1, "Over18": "Y", "StandardHours": 80,
              "OverTime": 1}


def train_pipeline(hr_csv: Path, C: float = 1.0):
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    frame = pd.read_csv(hr_csv, encoding="utf-8-sig").drop(columns=["EmployeeCount", "EmployeeNumber", "Over18",
                                                                     "StandardHours"])
    target = frame.pop("Attrition")
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    numbers = [c for c in frame.columns if c not in text]
    model = Pipeline([("features", ColumnTransformer([("num", StandardScaler(), numbers),
                                                      ("cat", OneHotEncoder(handle_unknown="ignore"), text)])),
                      ("classifier", LogisticRegression(C=C, max_iter=2000))]).fit(frame, target)
    return model, frame


@pytest.fixture(scope="module")
def served(tmp_path_factory, hr_csv: Path):
    """(root, SDK Workspace) with model 'attrition' versions 1 and 2 registered and a running server."""
    import mlflow.sklearn
    from mlflow.models import infer_signature

    from modelyard import Workspace
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    root = tmp_path_factory.mktemp("endpoints") / "ws"
    location = workspaces.create(root, name="endpoints")
    previous = os.environ.pop("MODELYARD_WORKSPACE", None)
    servers.start_detached(location, "127.0.0.1", 0)
    ws = Workspace(root)
    for version, C in ((1, 1.0), (2, 0.01)):
        model, frame = train_pipeline(hr_csv, C)
        folder = root.parent / f"model{version}"
        mlflow.sklearn.save_model(model, folder, serialization_format="cloudpickle",
                                  signature=infer_signature(frame, model.predict(frame)), input_example=frame.head(2))
        ws.models.create(name="attrition", path=str(folder))
    try:
        yield root, ws
    finally:
        ws.close()
        servers.stop(location)
        if previous is not None:
            os.environ["MODELYARD_WORKSPACE"] = previous
