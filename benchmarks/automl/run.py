"""AutoML quality and speed: modelyard vs FLAML vs AutoGluon (medium_quality) vs a default HistGradientBoosting
and a cross-validated linear model.

    python benchmarks/automl/run.py [--budget 60] [--cores 2] [--datasets a,b] [--systems modelyard,flaml,...]
                                    [--splits 1]

Every system gets the same fixed train/test split, time budget and cores, one system at a time, each in a
fresh process; with ``--splits N`` every table is scored on N different 75/25 splits (seeds 0..N-1) and
the scores are averaged, for tables whose test split is too small for one split to decide. AutoGluon lives in its own virtualenv (created here on first use, scikit-learn 1.7.2
pinned: AutoGluon 1.6's XGBoost model breaks with 1.9). Prints test AUC_weighted (R2 for regression),
fit time and wall time against the budget, modelyard's job time from submit to completed, the means, and
the targets of issues 4 and 11.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PEERS = HERE / ".venv-peers"
PEER_PACKAGES = ["autogluon.tabular[lightgbm,xgboost]==1.6.3", "scikit-learn==1.7.2", "statsmodels", "pyarrow"]
SYSTEMS = ("modelyard", "flaml", "autogluon", "hgb", "linear")
BASELINES = ("hgb", "linear")
HR_CSV = os.environ.get("MODELYARD_SAMPLE_DATA") or str(REPO.parent / "shared" / "data" / "HR-Employee-Attrition.csv")


def peer_python() -> str:
    python = PEERS / "bin" / "python"
    if not python.exists():
        print(f"creating the peers' virtualenv in {PEERS} (AutoGluon, statsmodels; a few minutes, once)")
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return str(python)


def score(task: str, truth, pred, classes) -> float:
    from sklearn.metrics import r2_score, roc_auc_score

    if task == "regression":
        return float(r2_score(truth, pred))
    pred = np.asarray(pred)
    labels = [str(v) for v in truth]
    if len(classes) == 2:
        return float(roc_auc_score([label == classes[1] for label in labels], pred[:, 1]))
    index = {c: i for i, c in enumerate(classes)}
    return float(roc_auc_score([index[label] for label in labels], pred, average="weighted", multi_class="ovr",
                               labels=list(range(len(classes)))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per system and dataset")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--datasets", default="", help="comma-separated names (default: all)")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--splits", type=int, default=1, help="75/25 splits per table (seeds 0..N-1), averaged")
    parser.add_argument("--out", default=str(HERE / "results" / "latest.json"))
    args = parser.parse_args()

    import pandas as pd

    systems = [s for s in args.systems.split(",") if s in SYSTEMS]
    # the peers' interpreter has AutoGluon and statsmodels; without AutoGluon the statsmodels tables need it too
    peer = peer_python() if "autogluon" in systems or not args.datasets else sys.executable
    data_root = HERE / "data"
    subprocess.run([peer, str(HERE / "datasets.py"), str(data_root), HR_CSV, args.datasets, str(args.splits)],
                   check=True)
    names = sorted(p.name for p in data_root.iterdir() if (p / "meta.json").exists() and "@" not in p.name)
    if args.datasets:
        names = [n for n in args.datasets.split(",") if n in names]
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE", "PYTHONWARNINGS": "ignore"}
    rows = []
    for name, seed in ((name, seed) for name in names for seed in range(args.splits)):
        folder = data_root / (name if seed == 0 else f"{name}@{seed}")   # as datasets.py names the splits
        meta = json.loads((folder / "meta.json").read_text())
        test = pd.read_parquet(folder / "test.parquet")
        truth = test[meta["target"]].to_numpy()
        for system in systems:
            python = peer if system == "autogluon" else sys.executable
            out = HERE / "results" / f".{name}.{system}.json"
            out.parent.mkdir(exist_ok=True)
            out.unlink(missing_ok=True)
            started = time.monotonic()
            proc = subprocess.run([python, str(HERE / "systems.py"), system, str(folder), str(args.budget),
                                   str(args.cores), str(out)], env=env, capture_output=True, text=True,
                                  timeout=args.budget * 5 + 300)
            wall = time.monotonic() - started
            row = {"dataset": name, "split": seed, "task": meta["task"], "system": system,
                   "wall_seconds": round(wall, 2)}
            if proc.returncode != 0 or not out.exists():
                row["error"] = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["failed"]
            else:
                got = json.loads(out.read_text())
                row.update(score=round(score(meta["task"], truth, got["pred"], got["classes"]), 4),
                           fit_seconds=round(got["fit_seconds"], 2), **got["extra"])
                out.unlink()
            rows.append(row)
            shown = f"{row['score']:.4f}  fit {row['fit_seconds']:6.1f}s" if "score" in row else f"ERROR {row['error']}"
            job = f"  job {row['job_seconds']}s ({row.get('phases', '')})" if "job_seconds" in row else ""
            label = name if args.splits == 1 else f"{name}@{seed}"
            print(f"{label:18s} {system:10s} {shown}  wall {wall:6.1f}s{job}", flush=True)
    Path(args.out).parent.mkdir(exist_ok=True)
    Path(args.out).write_text(json.dumps({"budget": args.budget, "cores": args.cores, "splits": args.splits,
                                          "rows": rows}, indent=1))
    report(rows, systems, args.budget)


def report(rows, systems, budget) -> None:
    import pandas as pd

    frame = pd.DataFrame(rows)
    if "score" not in frame:
        return
    splits = frame.groupby("dataset").split.nunique().max()
    # a table that failed on any split has no mean score
    failed = frame[frame.score.isna()][["dataset", "system"]].drop_duplicates()
    table = frame.groupby(["dataset", "system"]).score.mean().unstack()[systems]
    for _, miss in failed.iterrows():
        table.loc[miss.dataset, miss.system] = np.nan
    fit = frame.groupby(["dataset", "system"]).fit_seconds.max().unstack()[systems]
    print(f"\ntest score (AUC_weighted; R2 for regression), budget {budget:g} s"
          + (f", mean of {splits} splits" if splits > 1 else ""))
    print(table.round(4).to_string())
    if splits > 1:
        print("\nby split")
        print(frame.pivot_table(index=["dataset", "split"], columns="system", values="score")[systems]
              .round(4).to_string())
    print("\nfit seconds (budget ratio)")
    print((fit / budget).round(2).to_string())
    complete = table.dropna().index
    if len(complete) < len(table):
        print(f"\n(means and targets use the {len(complete)} datasets every system finished)")
    table, fit = table.loc[complete], fit.loc[complete]
    frame = frame[frame.dataset.isin(complete)]
    print("\nmeans")
    for task in ("classification", "regression"):
        part = table.loc[frame[frame.task == task].dataset.unique()]
        if len(part):
            print(f"  {task:15s}", "  ".join(f"{s} {part[s].mean():.4f}" for s in systems))
    ranks = table.rank(axis=1, ascending=False).mean()   # 1 is best; ties share the mean rank
    print("\nmean rank over the datasets (1 = best)\n ", "  ".join(f"{s} {ranks[s]:.2f}" for s in systems))
    if "modelyard" not in systems:
        return
    print("\ntargets")
    for task in ("classification", "regression"):
        part = table.loc[frame[frame.task == task].dataset.unique()]
        peers = [s for s in ("flaml", "autogluon") if s in systems]
        if len(part) and peers:
            best_peer = max(part[s].mean() for s in peers)
            ok = part["modelyard"].mean() >= best_peer
            print(f"  mean {task} >= best of {'/'.join(peers)} ({best_peer:.4f}): {'met' if ok else 'MISSED'}")
    for peer in (s for s in ("flaml", "autogluon") if s in systems):
        ok = ranks["modelyard"] < ranks[peer]
        print(f"  mean rank ahead of {peer} ({ranks['modelyard']:.2f} vs {ranks[peer]:.2f}): "
              f"{'met' if ok else 'MISSED'}")
    for baseline in (b for b in BASELINES if b in systems):
        gap = (table[baseline] - table["modelyard"]).max()
        print(f"  never below {baseline} by more than 0.002: {'met' if gap <= 0.002 else 'MISSED'} (worst gap {gap:.4f})")
    mine = fit["modelyard"].max() / budget
    print(f"  engine within the budget +10%: {'met' if mine <= 1.1 else 'MISSED'} (worst fit/budget {mine:.2f})")
    jobs = frame[frame.system == "modelyard"].set_index("dataset")["job_seconds"].astype(float)
    worst = jobs.max() / budget
    print(f"  job submit-to-completed within the budget +10%: {'met' if worst <= 1.1 else 'MISSED'} "
          f"(worst {worst:.2f}: {jobs.idxmax()})")
    for peer in ("flaml", "autogluon"):
        if peer in fit:
            print(f"    {peer}: worst fit/budget {fit[peer].max() / budget:.2f}")


if __name__ == "__main__":
    main()
