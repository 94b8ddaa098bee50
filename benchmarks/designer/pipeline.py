"""Designer end to end: the workshop's draft submitted to a warm cluster of a real workspace server,
against the same work as one plain pandas + scikit-learn script (the floor), measured in the same run.

    python benchmarks/designer/pipeline.py [--runs 5]

A fresh workspace (in a temporary folder) with its server on a free loopback port, employeeattrition
registered, a cluster of one warm worker. Prints the p50 over ``--runs`` of: a whole run (submit to
Completed, every step rerun: ``force_rerun``), each step's duration, the per-step overhead (a step's
duration less what its module takes in one process, from ``engine.py``), and a resubmit with the
learner's L2 weight changed (Select Columns and Split Data reused); then the floor and the ratio.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine import DATA, DROPPED, SELECTION, designer_path, plain_script  # noqa: E402

WORKSHOP = {
    "nodes": [{"id": "hr", "module": "dataset", "parameters": {"asset": "employeeattrition:1"}},
              {"id": "select", "module": "select_columns_in_dataset", "parameters": {"select_columns": SELECTION}},
              {"id": "split", "module": "split_data",
               "parameters": {"fraction_of_rows_in_the_first_output_dataset": 0.7}},
              {"id": "lr", "module": "two_class_logistic_regression", "parameters": {}},
              {"id": "train", "module": "train_model", "parameters": {"label_column": "Attrition"}},
              {"id": "score", "module": "score_model"},
              {"id": "evaluate", "module": "evaluate_model"}],
    "edges": [{"source": s, "source_port": sp, "target": t, "target_port": tp} for s, sp, t, tp in (
        ("hr", "output", "select", "dataset"), ("select", "results_dataset", "split", "dataset"),
        ("split", "results_dataset1", "train", "dataset"), ("lr", "untrained_model", "train", "untrained_model"),
        ("train", "trained_model", "score", "trained_model"), ("split", "results_dataset2", "score", "dataset"),
        ("score", "scored_dataset", "evaluate", "scored_dataset"))],
}
STEP_MODULES = {"select": "Select Columns", "split": "Split Data", "lr": "Learner", "train": "Train Model",
                "score": "Score Model", "evaluate": "Evaluate Model"}
RUN_TIMEOUT = 600


def timed_run(ws, **submit) -> tuple[float, dict]:
    start = time.perf_counter()
    job = ws.designer_drafts.submit("attrition", compute="warm", **submit)
    done = ws.jobs.wait(job.name, timeout=RUN_TIMEOUT, poll=0.05)
    seconds = time.perf_counter() - start
    if done.status != "Completed":
        raise SystemExit(f"run {job.name} ended {done.status}: {done.error}")
    return seconds, {child.step: child for child in ws.jobs.children(job.name)}


def main() -> None:
    import pandas as pd

    from modelyard.services import workspace as workspaces
    from modelyard import Workspace, server as servers

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="designer-bench-") as folder:
        location = workspaces.create(Path(folder) / "ws", name="bench")
        servers.start_detached(location, "127.0.0.1", 0)
        try:
            with Workspace(location.root) as ws:
                ws.data.create(name="employeeattrition", type="mltable", path=str(DATA), profile=False)
                ws.compute.create(name="warm", type="cluster", min_instances=1, max_instances=1)
                ws.designer_drafts.create({"name": "attrition", "graph": WORKSHOP})
                timed_run(ws, force_rerun=True)  # warms the worker: imports, first fits
                runs = [timed_run(ws, force_rerun=True) for _ in range(args.runs)]
                changed = []
                for i in range(args.runs):
                    graph = copy.deepcopy(WORKSHOP)
                    graph["nodes"][3]["parameters"] = {"l2_regularization_weight": 0.5 + i / 10}
                    ws.designer_drafts.create({"name": "attrition", "graph": graph})
                    seconds, steps = timed_run(ws)
                    assert {s for s, c in steps.items() if c.reused_from} == {"select", "split"}
                    changed.append(seconds)
        finally:
            servers.stop(location)
    frame = pd.read_csv(DATA, encoding="utf-8-sig")
    engine = [designer_path(frame, "lr") for _ in range(args.runs)]
    floors = [plain_script(frame, "lr") for _ in range(args.runs)]
    whole = statistics.median(seconds for seconds, _ in runs)
    floor = statistics.median(floors)
    print(f"HR data ({len(frame)} rows), runs: {args.runs}, one warm cluster worker; dropped {', '.join(DROPPED)}")
    overheads = []
    for step, module in STEP_MODULES.items():
        duration = statistics.median(s[step].duration_seconds for _, s in runs)
        alone = statistics.median(e[module] for e in engine)
        overheads.append(duration - alone)
        print(f"  {step:<9} step p50 {duration:6.3f} s; module alone p50 {alone:6.3f} s")
    alone_total = statistics.median(sum(e[m] for m in STEP_MODULES.values()) for e in engine)
    print(f"per-step overhead p50 {statistics.median(overheads):.3f} s (a step's duration less its module's)")
    print(f"whole run p50 {whole:.3f} s (submit to Completed); with queueing between steps, per step "
          f"{(whole - alone_total) / len(STEP_MODULES):.3f} s over the modules alone")
    print(f"resubmit, learner parameter changed, p50 {statistics.median(changed):.3f} s")
    print(f"plain script p50 {floor:.3f} s; ratio {whole / floor:.1f}")


if __name__ == "__main__":
    main()
