"""The workshop's request records and a model trained for them, shared by the endpoint tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from modelyard.automl._mlflow import requirements

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


def register_pipeline(ws, hr_csv: Path, folder: Path, C: float = 1.0, name: str = "attrition"):
    """``train_pipeline`` saved as an MLflow model (signature, input example) in ``folder`` and registered
    as the next version of ``name``; (model, frame)."""
    model, frame = train_pipeline(hr_csv, C)
    register_model(ws, model, frame, folder, name)
    return model, frame


def register_model(ws, model, frame: pd.DataFrame, folder: Path, name: str) -> None:
    """A fitted model saved as an MLflow model (signature, input example) in ``folder`` and registered as the
    next version of ``name``."""
    import mlflow.sklearn
    from mlflow.models import infer_signature

    mlflow.sklearn.save_model(model, folder, serialization_format="cloudpickle", pip_requirements=requirements(),
                              signature=infer_signature(frame, model.predict(frame)), input_example=frame.head(2))
    ws.models.create(name=name, path=str(folder))
