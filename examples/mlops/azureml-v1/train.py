"""The workshop's v1 training script: reads the registered dataset through the v1 API, logs to the run, and
leaves the model in ./outputs (collected into the run's files, as v1 does)."""

import argparse
import os

import joblib
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from modelyard.azureml.core import Dataset, Run

parser = argparse.ArgumentParser()
parser.add_argument("--dataset", required=True)
parser.add_argument("--regularization", type=float, default=0.1)
args = parser.parse_args()

run = Run.get_context()
frame = Dataset.get_by_name(run.experiment.workspace, args.dataset).to_pandas_dataframe()
frame = frame.drop(columns=["EmployeeCount", "EmployeeNumber", "Over18", "StandardHours"])
labels = frame.pop("Attrition")
categorical = [c for c in frame.columns if not frame[c].dtype.kind in "iuf"]
numeric = [c for c in frame.columns if c not in categorical]
X_train, X_test, y_train, y_test = train_test_split(frame, labels, test_size=0.2, random_state=0, stratify=labels)
model = Pipeline([
    ("features", ColumnTransformer([("num", StandardScaler(), numeric),
                                    ("cat", OneHotEncoder(handle_unknown="ignore"), categorical)])),
    ("classifier", LogisticRegression(C=1.0 / args.regularization, max_iter=2000)),
]).fit(X_train, y_train)
auc = roc_auc_score(y_test == "Yes", model.predict_proba(X_test)[:, list(model.classes_).index("Yes")])
run.log("AUC", auc)
run.log("environment", len(os.environ.get("EXAMPLE_ENV_VAR", "")))
os.makedirs("outputs", exist_ok=True)
joblib.dump(model, "outputs/model.pkl")
print(f"AUC {auc:.4f}; model saved to outputs/model.pkl")
