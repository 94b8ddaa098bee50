"""The metrics-logging job of the jobs benchmark: log N values of one metric, print the time it took.

    python log_metrics.py modelyard 10000    # modelyard.run.log (buffered, written with log_batch)
    python log_metrics.py mlflow 10000       # plain mlflow.log_metric (one write per call)

MLflow is imported in both modes before the clock starts (its import time is printed apart); the
logging time includes the final flush, so every value is in the tracking store when it is printed.
"""

import sys
import time

mode, count = sys.argv[1], int(sys.argv[2])
if mode not in ("modelyard", "mlflow"):
    raise SystemExit(f"unknown mode {mode!r}")
importing = time.perf_counter()
import mlflow  # noqa: E402
import mlflow.entities  # noqa: E402,F401

from modelyard import run  # noqa: E402

imported = time.perf_counter() - importing

started = time.perf_counter()
if mode == "modelyard":
    for step in range(count):
        run.log("loss", 1.0 / (step + 1))
    run.flush()
else:
    for step in range(count):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
elapsed = time.perf_counter() - started
print(f"BENCH_LOG_SECONDS={elapsed:.4f} BENCH_IMPORT_SECONDS={imported:.4f} count={count} mode={mode}", flush=True)
