"""``azureml.widgets``: ``RunDetails(run).show()`` as text: the run's status and latest metrics,
printed as they change until the run ends (the studio's job page shows the same, live)."""

from __future__ import annotations

import time
from typing import Any

from modelyard.azureml._v1 import module_getattr
from modelyard.spec.job_status import TERMINAL

__all__ = ["RunDetails"]

__getattr__ = module_getattr("azureml.widgets", {})

POLL_SECONDS = 2.0


class RunDetails:
    def __init__(self, run_instance: Any) -> None:
        self.run = run_instance

    def show(self, timeout: float = 3600) -> None:
        """Print each change of status and metrics; return when the run ends or after ``timeout`` seconds."""
        deadline, shown = time.monotonic() + timeout, None
        while True:
            status = self.run.get_status()
            metrics = {name: value[-1] if isinstance(value, list) else value
                       for name, value in self.run.get_metrics().items() if not isinstance(value, dict)}
            if (status, metrics) != shown:
                print(f"{self.run.id}: {status}" + "".join(f"  {k}={v:.4g}" for k, v in sorted(metrics.items())))
                shown = (status, metrics)
            if status in TERMINAL or time.monotonic() > deadline:
                return
            time.sleep(POLL_SECONDS)
