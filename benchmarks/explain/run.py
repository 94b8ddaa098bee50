"""Explain benchmark: modelyard's explain engine against shap's own explainers on the same models and rows.

    python benchmarks/explain/run.py                        # HR cases + 100,000 x 35 LightGBM + agnostic
    python benchmarks/explain/run.py --rows 5000 --agnostic-rows 3    # a quick look

Cases (each timed end to end: the pipeline's transform plus the contributions; modelyard's time also
builds its result records, global importance over every row and local rows up to --local-rows):
- HR attrition (1,470 rows), OneHotEncoder + StandardScaler -> LightGBM: modelyard (Linear TreeSHAP over
  LightGBM's trees) vs ``shap.TreeExplainer``;
- the same preprocessing -> LogisticRegression: modelyard's exact linear SHAP vs ``shap.LinearExplainer``
  (every row as background);
- a synthetic --rows x 35 table with a LightGBM model: modelyard vs ``shap.TreeExplainer``, and LightGBM's
  own ``pred_contrib`` (the same values; modelyard's method before Linear TreeSHAP) on the same rows;
- the model-agnostic path on the HR logistic regression's probabilities: modelyard (permutation SHAP in
  numpy, the estimate of shap's PermutationExplainer) vs ``shap.KernelExplainer``, same rows and background.
Prints seconds, the ratio shap / modelyard (above 1: modelyard is faster), the largest
difference between the two sets of contributions and both sides' CPU seconds (all threads: on a shared
machine, wall-clock seconds also count waiting for a core); for the large case, modelyard's time by phase
(transform, contributions, the engineered and raw views, and the result.json a job stores). The agnostic
and tree cases are timed warm: the first call of each in a process imports the explainers and compiles
numba code, shap's and modelyard's own, or loads it from numba's cache (printed apart).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "HR-Employee-Attrition.csv"
DROPPED = ["EmployeeCount", "EmployeeNumber", "Over18", "StandardHours"]


CPU_SECONDS: dict[str, float] = {}   # the CPU seconds (all threads) of the last timed call, by side


def timed(function, side: str = "last"):
    start, cpu = time.perf_counter(), time.process_time()
    value = function()
    CPU_SECONDS[side] = time.process_time() - cpu
    return time.perf_counter() - start, value


def hr_pipelines(path: Path):
    from lightgbm import LGBMClassifier
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    hr = pd.read_csv(path, encoding="utf-8-sig")
    X, y = hr.drop(columns=DROPPED + ["Attrition"]), hr["Attrition"]
    text = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
    numbers = [c for c in X.columns if c not in text]

    def pre():
        return ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), text),
                                  ("num", StandardScaler(), numbers)])

    tree = Pipeline([("pre", pre()), ("clf", LGBMClassifier(n_estimators=100, verbose=-1))]).fit(X, y)
    linear = Pipeline([("pre", pre()), ("clf", LogisticRegression(max_iter=2000))]).fit(X, y)
    return X, tree, linear


def large_tree(rows: int):
    from lightgbm import LGBMClassifier

    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(rows, 35)), columns=[f"f{i}" for i in range(35)])
    logit = X.f0 * 1.5 - X.f1 + np.sin(X.f2 * 3) + X.f3 * X.f4
    y = (logit + rng.logistic(size=rows) > 0).astype(int)
    return X, LGBMClassifier(n_estimators=100, num_leaves=31, verbose=-1).fit(X, y)


def matrix_of(model, X):
    if not hasattr(model, "steps"):
        return X.to_numpy(dtype=float)
    out = model[:-1].transform(X)
    return np.asarray(out.toarray() if hasattr(out, "toarray") else out, dtype=float)


PHASES: dict[str, dict[str, float]] = {}   # wall and CPU seconds of each phase of modelyard's last call


def ours(model, X, **options):
    from modelyard._phases import recording
    from modelyard.explain import explain_model

    with recording() as phases:
        seconds, explanation = timed(lambda: explain_model(model, X, **options), "modelyard")
    PHASES.clear()
    PHASES.update(phases)
    return seconds, explanation, np.asarray(explanation.engineered.outputs[0].contributions)


def report_phases(explanation) -> None:
    """modelyard's phases of the last call, and the JSON the job would store (its result.json)."""
    import json

    stored, _ = timed(lambda: json.dumps(explanation.model_dump(mode="json")), "storing")
    PHASES["result.json"] = {"wall": stored, "cpu": CPU_SECONDS["storing"]}
    print("  modelyard's phases, wall / CPU s: " + ", ".join(f"{name} {spent['wall']:.2f} / {spent['cpu']:.2f}"
                                                           for name, spent in PHASES.items()))


def shap_tree(model, X):
    import shap

    return timed(lambda: np.asarray(shap.TreeExplainer(model[-1] if hasattr(model, "steps") else model)
                                    .shap_values(matrix_of(model, X))))


def shap_linear(model, X):
    import shap

    def run():
        matrix = matrix_of(model, X)
        masker = shap.maskers.Independent(matrix, max_samples=len(matrix))
        return np.asarray(shap.LinearExplainer(model[-1], masker).shap_values(matrix))

    return timed(run)


def shap_kernel(model, X, rows, background_rows):
    import shap

    def run():
        matrix = matrix_of(model, X)
        rng = np.random.default_rng(0)
        background = matrix[np.sort(rng.choice(len(matrix), background_rows, replace=False))]
        explainer = shap.KernelExplainer(lambda m: model[-1].predict_proba(m)[:, 1], background)
        return np.asarray(explainer.shap_values(matrix[rows], silent=True))

    return timed(run)


def report(name, target, mine, theirs, difference):
    ratio = theirs / mine if mine else float("nan")
    print(f"{name:<46} {mine:>9.3f} {theirs:>9.3f} {ratio:>8.2f}x  {difference:>10.2e}  "
          f"{CPU_SECONDS.get('modelyard', 0):>9.3f} {CPU_SECONDS.get('last', 0):>9.3f}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("MODELYARD_SAMPLE_DATA") or DEFAULT_DATA))
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the large LightGBM case")
    parser.add_argument("--local-rows", type=int, default=1000, help="local rows kept in the large case")
    parser.add_argument("--agnostic-rows", type=int, default=20)
    parser.add_argument("--background-rows", type=int, default=50)
    args = parser.parse_args()

    import shap  # noqa: F401 - imported once here, so neither side's timing pays for it

    X, tree, linear = hr_pipelines(args.data)
    cold, _, _ = ours(tree, X.head(20))
    print(f"first tree call in this process (numba compiles Linear TreeSHAP, or loads it from its cache): "
          f"{cold:.1f} s, not counted below")
    print(f"{'case':<46} {'modelyard':>9} {'shap':>9} {'ratio':>9}  {'max |diff|':>10}  {'our CPU s':>9} {'shap CPU':>9}  target")
    everything = len(X)
    mine, _, values = ours(tree, X, local_rows=everything)
    theirs, expected = shap_tree(tree, X)
    report(f"HR {everything} rows, LightGBM, tree SHAP", "< 5 s", mine, theirs,
           np.abs(values - expected.reshape(values.shape)).max())
    mine, _, values = ours(linear, X, local_rows=everything)
    theirs, expected = shap_linear(linear, X)
    report(f"HR {everything} rows, LogisticRegression, linear", "< 5 s", mine, theirs, np.abs(values - expected).max())

    big, model = large_tree(args.rows)
    mine, explanation, values = ours(model, big, local_rows=args.local_rows)
    theirs, expected = shap_tree(model, big)
    expected = expected.reshape(len(big), -1)[explanation.local_rows]
    report(f"{args.rows} x 35, LightGBM, tree SHAP (all rows)", "< 30 s", mine, theirs,
           np.abs(values - expected).max())
    report_phases(explanation)
    own, _ = timed(lambda: model.booster_.predict(big.to_numpy(dtype=float), pred_contrib=True), "pred_contrib")
    print(f"  LightGBM's own pred_contrib on the same rows: {own:.2f} s wall / {CPU_SECONDS['pred_contrib']:.2f} "
          f"CPU s; modelyard's contributions phase {PHASES['contributions']['wall']:.2f} / "
          f"{PHASES['contributions']['cpu']:.2f}, {CPU_SECONDS['pred_contrib'] / PHASES['contributions']['cpu']:.1f}x "
          "less CPU")

    cold, _, _ = ours(linear, X.head(20), output="probability", agnostic_rows=2, background_rows=5)
    shap_kernel(linear, X.head(20), [0, 1], 5)
    print(f"first model-agnostic calls in this process (imports, shap's set-up): {cold:.1f} s, not counted below")
    mine, explanation, values = ours(linear, X, output="probability", agnostic_rows=args.agnostic_rows,
                                     background_rows=args.background_rows)
    theirs, expected = shap_kernel(linear, X, explanation.local_rows, args.background_rows)
    report(f"HR {args.agnostic_rows} rows, probability, permutation vs kernel", "", mine, theirs,
           np.abs(values.ravel() - expected.ravel()).max())
    print("(max |diff| of the agnostic case compares two estimators of the same values: not expected to be ~0)")


if __name__ == "__main__":
    main()
