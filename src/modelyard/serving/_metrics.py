"""Prometheus text metrics of one scoring process: requests, errors, latency, batch sizes and unseen values."""

from __future__ import annotations

import bisect
import time
from collections import Counter

LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096)


class Histogram:
    def __init__(self, buckets: tuple) -> None:
        self.buckets = buckets
        self.counts = [0] * (len(buckets) + 1)
        self.total = 0.0
        self.n = 0

    def observe(self, value: float) -> None:
        self.counts[bisect.bisect_left(self.buckets, value)] += 1
        self.total += value
        self.n += 1

    def render(self, name: str, labels: str) -> list[str]:
        sep = "," if labels else ""
        lines = []
        cumulative = 0
        for bound, count in zip(self.buckets, self.counts):
            cumulative += count
            lines.append(f'{name}_bucket{{{labels}{sep}le="{bound}"}} {cumulative}')
        lines.append(f'{name}_bucket{{{labels}{sep}le="+Inf"}} {self.n}')
        lines.append(f"{name}_sum{{{labels}}} {self.total:.6f}")
        lines.append(f"{name}_count{{{labels}}} {self.n}")
        return lines


class Metrics:
    """Counters and histograms; ``render()`` gives the Prometheus text exposition."""

    def __init__(self, deployment: str | None = None) -> None:
        self.labels = f'deployment="{_escape(deployment)}"' if deployment else ""
        self.requests: Counter = Counter()  # (route, status) -> count
        self.latency = Histogram(LATENCY_BUCKETS)
        self.batch_rows = Histogram(BATCH_BUCKETS)
        self.rows = 0
        self.unseen: Counter = Counter()  # column -> values never seen in training
        self.in_flight = 0
        self.started = time.time()

    def observe(self, route: str, status: int, seconds: float, rows: int = 0) -> None:
        self.requests[(route, status)] += 1
        if route == "/score":
            self.latency.observe(seconds)
            self.rows += rows

    def render(self, info: dict[str, str] | None = None) -> str:
        base = self.labels
        sep = "," if base else ""
        out = ["# HELP modelyard_scoring_requests_total Requests answered, by route and status.",
               "# TYPE modelyard_scoring_requests_total counter"]
        for (route, status), n in sorted(self.requests.items()):
            out.append(f'modelyard_scoring_requests_total{{{base}{sep}route="{route}",status="{status}"}} {n}')
        out += ["# HELP modelyard_scoring_errors_total Scoring requests answered with a 4xx or 5xx status.",
                "# TYPE modelyard_scoring_errors_total counter"]
        errors = Counter()
        for (route, status), n in self.requests.items():
            if route == "/score" and status >= 400:
                errors[status] += n
        if not errors:
            out.append(f"modelyard_scoring_errors_total{{{base}}} 0")
        for status, n in sorted(errors.items()):
            out.append(f'modelyard_scoring_errors_total{{{base}{sep}status="{status}"}} {n}')
        out += ["# HELP modelyard_scoring_request_duration_seconds Latency of /score requests.",
                "# TYPE modelyard_scoring_request_duration_seconds histogram"]
        out += self.latency.render("modelyard_scoring_request_duration_seconds", base)
        out += ["# HELP modelyard_scoring_batch_rows Rows per model call (micro-batches).",
                "# TYPE modelyard_scoring_batch_rows histogram"]
        out += self.batch_rows.render("modelyard_scoring_batch_rows", base)
        out += ["# HELP modelyard_scoring_rows_total Rows scored.", "# TYPE modelyard_scoring_rows_total counter",
                f"modelyard_scoring_rows_total{{{base}}} {self.rows}",
                "# HELP modelyard_scoring_unseen_values_total Values in categorical columns never seen in training.",
                "# TYPE modelyard_scoring_unseen_values_total counter"]
        if not self.unseen:
            out.append(f"modelyard_scoring_unseen_values_total{{{base}}} 0")
        for column, n in sorted(self.unseen.items()):
            out.append(f'modelyard_scoring_unseen_values_total{{{base}{sep}column="{_escape(column)}"}} {n}')
        out += ["# HELP modelyard_scoring_in_flight Requests being scored now.", "# TYPE modelyard_scoring_in_flight gauge",
                f"modelyard_scoring_in_flight{{{base}}} {self.in_flight}",
                "# HELP modelyard_scoring_uptime_seconds Seconds since the process started.",
                "# TYPE modelyard_scoring_uptime_seconds gauge",
                f"modelyard_scoring_uptime_seconds{{{base}}} {time.time() - self.started:.1f}"]
        if info:
            labels = ",".join(f'{k}="{_escape(v)}"' for k, v in sorted(info.items()))
            out += ["# HELP modelyard_scoring_model_info The served model.", "# TYPE modelyard_scoring_model_info gauge",
                    f"modelyard_scoring_model_info{{{base}{sep}{labels}}} 1"]
        return "\n".join(out) + "\n"


def _escape(value: str) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
