"""Designer inference benchmark: the workshop's real-time inference pipeline as the one model it deploys as,
scored by the serving engine, against the same computation as a plain scikit-learn Pipeline (the peer:
what any other deployment of this model serves), measured in the same run.

    python benchmarks/designer/inference.py                 # the HR data, 200 requests per size

Trains the workshop's draft in this process (``run_draft``), makes its real-time inference pipeline
(``inference_graph``) and its model (``inference_model``), saves both models as MLflow models, loads them
with the serving engine (``load_model``: the compiled fast path where it verifies) and prints the p50 of
one request of 1 and of 100 rows for each, their ratio, and whether each took the compiled path.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from engine import DATA, DROPPED, SELECTION


def workshop_models(frame, folder: Path) -> tuple[Path, Path]:
    """(the Designer's model, the plain Pipeline's), saved as MLflow models under ``folder``."""
    import mlflow.sklearn
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MaxAbsScaler, OneHotEncoder

    from modelyard.designer import inference_graph, inference_model, run_draft
    from modelyard.designer._columns import schema_of
    from modelyard.designer._values import save_sklearn

    edge = lambda s, sp, t, tp: {"source": s, "source_port": sp, "target": t, "target_port": tp}  # noqa: E731
    graph = {"nodes": [{"id": "hr", "module": "dataset", "parameters": {"asset": "hr:1"}},
                       {"id": "select", "module": "select_columns_in_dataset", "parameters": {"select_columns": SELECTION}},
                       {"id": "split", "module": "split_data",
                        "parameters": {"fraction_of_rows_in_the_first_output_dataset": 0.7}},
                       {"id": "lr", "module": "two_class_logistic_regression"},
                       {"id": "train", "module": "train_model", "parameters": {"label_column": "Attrition"}},
                       {"id": "score", "module": "score_model"}],
             "edges": [edge("hr", "output", "select", "dataset"), edge("select", "results_dataset", "split", "dataset"),
                       edge("split", "results_dataset1", "train", "dataset"),
                       edge("lr", "untrained_model", "train", "untrained_model"),
                       edge("train", "trained_model", "score", "trained_model"),
                       edge("split", "results_dataset2", "score", "dataset")]}
    outputs = run_draft(graph, {"hr": frame})
    real_time = inference_graph(graph, {n: n for n in ("select", "split", "lr", "train", "score")},
                                {"hr": schema_of(frame)}, "real-time")
    model = inference_model(real_time, {"train": outputs["train"]["trained_model"]}, {"hr": schema_of(frame)})
    requests = frame.drop(columns=["Attrition", *DROPPED])
    save_sklearn(model, folder / "designer", requests)

    train = outputs["split"]["results_dataset1"]
    features, labels = train.drop(columns=["Attrition"]), train["Attrition"]
    numeric = [c for c in features if features[c].dtype.kind in "iufb"]
    plain = Pipeline([("featurize", ColumnTransformer([("numeric", MaxAbsScaler(), numeric),
                                                       ("categorical", OneHotEncoder(handle_unknown="ignore"),
                                                        [c for c in features if c not in numeric])])),
                      ("learner", LogisticRegression(max_iter=1000))]).fit(features, labels)
    mlflow.sklearn.save_model(plain, str(folder / "plain"), input_example=requests.head(5),
                              pip_requirements=["scikit-learn"])  # inferring them costs a subprocess
    return folder / "designer", folder / "plain"


def p50_ms(scorer, records: list[dict], requests: int) -> float:
    seconds = []
    for _ in range(requests):
        start = time.perf_counter()
        scorer.predict(records)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds) * 1000


def main() -> None:
    import pandas as pd

    from modelyard.serving import load_model

    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    frame = pd.read_csv(DATA, encoding="utf-8-sig")
    records = frame.drop(columns=["Attrition", *DROPPED]).to_dict(orient="records")
    with tempfile.TemporaryDirectory() as folder:
        designer, plain = (load_model(path) for path in workshop_models(frame, Path(folder)))
        for name, scorer in (("designer", designer), ("plain", plain)):
            print(f"{name}: compiled={scorer.compiled is not None} ({scorer.compile_note})")
        for size in (1, 100):
            mine, peer = (p50_ms(s, records[:size], args.requests) for s in (designer, plain))
            print(f"{size:>3} row(s) per request: designer {mine:.3f} ms, plain Pipeline {peer:.3f} ms, "
                  f"ratio {mine / peer:.2f}")


if __name__ == "__main__":
    main()
