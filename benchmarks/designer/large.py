"""Designer end to end at scale: the workshop's 7-module draft on a generated table (the HR rows resampled,
numeric columns jittered; 35 columns) submitted to a real workspace server's cluster of one warm worker,
against the same work as one plain pandas + scikit-learn script (the floor) in its own process.

    python benchmarks/designer/large.py                          # 1,000,000 rows, LightGBM learner
    python benchmarks/designer/large.py --rows 20000 --learner lr

Prints the wall time (submit to Completed) and each step's duration, the peak resident memory of the
server with its workers (sampled every 0.1 s: the largest process and the whole tree) after a warm-up run on
the HR rows, and the floor's
wall time and peak memory, with the ratios.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine import DATA, LEARNERS, plain_script  # noqa: E402
from pipeline import STEP_MODULES, WORKSHOP  # noqa: E402
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peak_memory import rss_mb  # noqa: E402

RUN_TIMEOUT = 3600


def generate(rows: int, path: Path) -> None:
    """``rows`` HR rows drawn with replacement, integer columns jittered by up to +-2 (clipped at 0)."""
    import numpy as np
    import pandas as pd

    frame = pd.read_csv(DATA, encoding="utf-8-sig").sample(rows, replace=True, random_state=0).reset_index(drop=True)
    rng = np.random.default_rng(0)
    for column in ("Age", "DailyRate", "DistanceFromHome", "HourlyRate", "MonthlyIncome", "MonthlyRate",
                   "TotalWorkingYears", "YearsAtCompany"):
        frame[column] = np.clip(frame[column] + rng.integers(-2, 3, rows), 0, None)
    frame.to_parquet(path, index=False)


class PeakMemory:
    """The peak resident memory of a process and its descendants, sampled on a thread."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.largest = self.tree = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        while not self._stop.wait(0.1):
            sizes = []
            for process in [self.root, *self.root.children(recursive=True)]:
                try:
                    sizes.append(process.memory_info().rss)
                except psutil.Error:
                    continue  # ended between listing and reading
            self.largest, self.tree = max(self.largest, max(sizes, default=0)), max(self.tree, sum(sizes))

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()


def designer_run(path: Path, learner: str) -> tuple[float, dict[str, float], PeakMemory]:
    from modelyard import Workspace, server as servers
    from modelyard.services import workspace as workspaces

    graph = json.loads(json.dumps(WORKSHOP))
    graph["nodes"][3]["module"] = LEARNERS[learner]
    with tempfile.TemporaryDirectory(prefix="designer-large-") as folder:
        location = workspaces.create(Path(folder) / "ws", name="bench")
        info = servers.start_detached(location, "127.0.0.1", 0)
        try:
            with Workspace(location.root) as ws:
                ws.data.create(name="employeeattrition", type="mltable", path=str(DATA), profile=False)
                ws.data.create(name="employeeattrition", type="mltable", path=str(path), profile=False)
                ws.compute.create(name="warm", type="cluster", min_instances=1, max_instances=1)
                ws.designer_drafts.create({"name": "attrition", "graph": graph})
                warm_up = ws.designer_drafts.submit("attrition", compute="warm")  # the HR rows: imports, first fits
                ws.jobs.wait(warm_up.name, timeout=RUN_TIMEOUT, poll=0.5)
                with PeakMemory(info.pid) as memory:
                    start = time.perf_counter()
                    job = ws.designer_drafts.submit("attrition", compute="warm", data={"hr": "employeeattrition:2"})
                    done = ws.jobs.wait(job.name, timeout=RUN_TIMEOUT, poll=0.5)
                    seconds = time.perf_counter() - start
                steps = {child.step: child for child in ws.jobs.children(job.name)}
                if done.status != "Completed":
                    raise SystemExit(f"run {job.name} ended {done.status}: "
                                     + "; ".join(f"{s}: {c.error}" for s, c in steps.items() if c.error))
                return seconds, {step: child.duration_seconds for step, child in steps.items()}, memory
        finally:
            servers.stop(location)


def floor(path: Path, learner: str) -> tuple[float, float]:
    """(seconds, peak MiB) of the plain script in a process of its own."""
    done = subprocess.run([sys.executable, __file__, "--floor", str(path), "--learner", learner],
                          capture_output=True, text=True, check=True, timeout=RUN_TIMEOUT)
    seconds, mib = done.stdout.split()[-2:]
    return float(seconds), float(mib)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--learner", choices=sorted(LEARNERS), default="boosted")
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)  # run only the plain script on this file
    args = parser.parse_args()
    if args.floor:
        import pandas as pd

        seconds = plain_script(pd.read_parquet(args.floor), args.learner)
        print(seconds, rss_mb())
        return
    with tempfile.TemporaryDirectory(prefix="designer-large-data-") as folder:
        path = Path(folder) / "generated.parquet"
        generate(args.rows, path)
        seconds, steps, memory = designer_run(path, args.learner)
        floor_seconds, floor_mib = floor(path, args.learner)
    mib = 1024 * 1024
    print(f"rows: {args.rows}, columns: 35, learner: {LEARNERS[args.learner]}, one warm cluster worker")
    for step, module in STEP_MODULES.items():
        print(f"  {step:<9} ({module}) step {steps[step]:8.2f} s")
    print(f"designer run {seconds:.1f} s (submit to Completed); plain script {floor_seconds:.1f} s; "
          f"ratio {seconds / floor_seconds:.2f}")
    print(f"peak resident memory: largest designer process {memory.largest / mib:.0f} MiB, server and workers "
          f"together {memory.tree / mib:.0f} MiB; plain script {floor_mib:.0f} MiB; ratio (largest) "
          f"{memory.largest / mib / floor_mib:.2f}")


if __name__ == "__main__":
    main()
