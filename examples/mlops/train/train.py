"""The attrition model a release pipeline trains: a scaled logistic regression over the HR columns.

``--features few`` trains on three columns only: a deliberately weaker challenger, which the release
gate (``modelyard model compare``) must stop. The model predicts the labels as they are in the data
("Yes"/"No"), so it is scored on held-out data as it is registered.
"""

import argparse
import os
from pathlib import Path

import joblib
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from modelyard import run

FEW = ["Age", "DistanceFromHome", "YearsAtCompany"]
UNUSED = ["EmployeeCount", "EmployeeNumber", "Over18", "StandardHours"]

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True, help="folder or file holding the training CSV")
parser.add_argument("--features", choices=["all", "few"], default="all")
parser.add_argument("--model-dir", default="outputs")
args = parser.parse_args()

source = Path(args.data)
csv = source if source.is_file() else next(source.rglob("*.csv"))
frame = pd.read_csv(csv, encoding="utf-8-sig").drop(columns=UNUSED, errors="ignore")
labels = frame.pop("Attrition")
if args.features == "few":
    frame = frame[FEW]
categorical = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
numeric = [c for c in frame.columns if c not in categorical]
model = Pipeline([
    ("features", ColumnTransformer([("num", StandardScaler(), numeric),
                                    ("cat", OneHotEncoder(handle_unknown="ignore"), categorical)])),
    ("classifier", LogisticRegression(max_iter=2000)),
])
model.fit(frame, labels)
print(f"trained on {len(frame)} rows and {frame.shape[1]} columns ({args.features} features)")
run.log("training_rows", len(frame))
os.makedirs(args.model_dir, exist_ok=True)
joblib.dump(model, os.path.join(args.model_dir, "model.pkl"))
run.flush()
