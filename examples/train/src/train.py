"""The workshop's attrition training script, run as a modelyard command job.

Only the way it gets the data changed: the dataset arrives as an input folder (``--data``)
instead of through the cloud SDK. Metrics go to the job's MLflow run.
"""

import argparse
import os
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from modelyard import run

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True, help="folder or file holding the attrition CSV")
parser.add_argument("--regularization", type=float, default=0.01, help="inverse of C")
parser.add_argument("--model-dir", default="outputs")
args = parser.parse_args()

source = Path(args.data)
csv = source if source.is_file() else next(source.rglob("*.csv"))
df = pd.read_csv(csv, encoding="utf-8-sig")
print(f"read {len(df)} rows and {df.shape[1]} columns from {csv.name}")

df = df.drop(columns=["EmployeeCount", "EmployeeNumber", "Over18", "StandardHours"])
y = (df.pop("Attrition") == "Yes").astype(int)
categorical = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
numeric = [c for c in df.columns if c not in categorical]

X_train, X_test, y_train, y_test = train_test_split(df, y, test_size=0.2, random_state=0, stratify=y)
run.log("Regularization Rate", args.regularization)

model = Pipeline([
    ("features", ColumnTransformer([("num", StandardScaler(), numeric),
                                    ("cat", OneHotEncoder(handle_unknown="ignore"), categorical)])),
    ("classifier", LogisticRegression(C=1.0 / args.regularization, max_iter=1000)),
])
model.fit(X_train, y_train)

predicted = model.predict(X_test)
accuracy = accuracy_score(y_test, predicted)
auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
print(f"Accuracy {accuracy:.4f}  AUC {auc:.4f}")
run.log("Accuracy", np.float64(accuracy))
run.log("AUC", np.float64(auc))

os.makedirs(args.model_dir, exist_ok=True)
joblib.dump(model, os.path.join(args.model_dir, "model.pkl"))
run.flush()
