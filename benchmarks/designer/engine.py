"""Designer engine benchmark: the workshop's modules run in one process, against the same work as a
plain pandas + scikit-learn script (the floor), measured in the same run.

    python benchmarks/designer/engine.py                   # the HR data, 5 runs
    python benchmarks/designer/engine.py --rows 100000     # HR rows resampled to this many
    python benchmarks/designer/engine.py --rows 1000000 --learner boosted   # LightGBM instead of LR

Runs Select Columns -> Split Data (0.7) -> Two-Class Logistic Regression -> Train Model -> Score
Model -> Evaluate Model through ``run_module`` and prints the p50 of each module and of the whole
path, the floor's p50, their ratio, and the peak resident memory. This is the engine alone: the
runner, the artifact store and worker processes (the issue's end-to-end figure) come on top.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peak_memory import rss_mb  # noqa: E402

DATA = Path(os.environ.get("MODELYARD_SAMPLE_DATA") or
            Path(__file__).resolve().parents[3] / "shared" / "data" / "HR-Employee-Attrition.csv")
DROPPED = ["EmployeeCount", "EmployeeNumber", "Over18", "StandardHours"]
SELECTION = {"isFilter": True, "rules": [{"ruleType": "AllColumns"},
                                         {"ruleType": "ColumnNames", "exclude": True, "columns": DROPPED}]}


LEARNERS = {"lr": "two_class_logistic_regression", "boosted": "two_class_boosted_decision_tree"}


def designer_path(frame, learner: str) -> dict[str, float]:
    from modelyard.designer import run_module

    seconds: dict[str, float] = {}

    def timed(name, module, inputs, parameters=None):
        start = time.perf_counter()
        out = run_module(module, inputs, parameters)
        seconds[name] = time.perf_counter() - start
        return list(out.values())

    (selected,) = timed("Select Columns", "select_columns_in_dataset", {"dataset": frame}, {"select_columns": SELECTION})
    train, test = timed("Split Data", "split_data", {"dataset": selected},
                        {"fraction_of_rows_in_the_first_output_dataset": 0.7})
    (untrained,) = timed("Learner", LEARNERS[learner], {})
    (model,) = timed("Train Model", "train_model", {"untrained_model": untrained, "dataset": train},
                     {"label_column": "Attrition"})
    (scored,) = timed("Score Model", "score_model", {"trained_model": model, "dataset": test})
    (result,) = timed("Evaluate Model", "evaluate_model", {"scored_dataset": scored})
    assert result["left"]["metrics"]["AUC"] > 0.6
    return seconds


def plain_script(frame, learner: str) -> float:
    """The same computation written directly (the floor)."""
    import numpy as np
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, log_loss, roc_auc_score, roc_curve
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MaxAbsScaler, OneHotEncoder

    start = time.perf_counter()
    data = frame.drop(columns=DROPPED)
    order = np.random.default_rng(0).permutation(len(data))
    cut = int(np.floor(0.7 * len(data) + 0.5))
    train, test = data.iloc[np.sort(order[:cut])], data.iloc[np.sort(order[cut:])]
    features = train.drop(columns="Attrition")
    text = [c for c in features.columns if not pd.api.types.is_numeric_dtype(features[c])]
    numbers = [c for c in features.columns if c not in text]
    if learner == "lr":
        scaling, estimator = MaxAbsScaler(), LogisticRegression(C=0.5, l1_ratio=0.5, solver="saga", tol=1e-7,
                                                                max_iter=2000)
    else:
        from lightgbm import LGBMClassifier

        scaling = "passthrough"
        estimator = LGBMClassifier(num_leaves=20, min_child_samples=10, learning_rate=0.2, n_estimators=100,
                                   verbose=-1)
    model = Pipeline([("f", ColumnTransformer([("n", scaling, numbers),
                                                ("c", OneHotEncoder(handle_unknown="ignore"), text)],
                                               sparse_threshold=0)),
                      ("m", estimator)])
    model.fit(features, train["Attrition"])
    p = model.predict_proba(test.drop(columns="Attrition"))[:, 1]
    truth = (test["Attrition"] == "Yes").astype(int)
    accuracy_score(truth, p >= 0.5), roc_auc_score(truth, p), log_loss(truth, p), roc_curve(truth, p)
    return time.perf_counter() - start


def main() -> None:
    import pandas as pd

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=0, help="resample the HR rows to this many (0: as they are)")
    parser.add_argument("--learner", choices=sorted(LEARNERS), default="lr")
    args = parser.parse_args()
    frame = pd.read_csv(DATA, encoding="utf-8-sig")
    if args.rows:
        frame = frame.sample(args.rows, replace=True, random_state=0).reset_index(drop=True)
    runs = [designer_path(frame, args.learner) for _ in range(args.runs)]
    floors = [plain_script(frame, args.learner) for _ in range(args.runs)]
    print(f"rows: {len(frame)}, columns: {frame.shape[1]}, runs: {args.runs}, learner: {LEARNERS[args.learner]}")
    for name in runs[0]:
        print(f"  {name:<16} p50 {statistics.median(r[name] for r in runs):8.3f} s")
    total = statistics.median(sum(r.values()) for r in runs)
    floor = statistics.median(floors)
    overhead = statistics.median(sum(r.values()) - r["Train Model"] for r in runs)
    print(f"designer path p50 {total:.3f} s; plain script p50 {floor:.3f} s; ratio {total / floor:.2f}")
    print(f"modules other than Train Model, together: p50 {overhead:.3f} s")
    print(f"peak resident memory: {rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
