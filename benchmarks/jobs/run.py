"""Jobs benchmark: submit -> Running latency, throughput and per-job overhead, metrics logging.

    python benchmarks/jobs/run.py [--jobs 200] [--latency-jobs 30] [--metrics 10000]
                                  [--ray-address http://127.0.0.1:8265] [--keep]

Creates a fresh temporary workspace, starts a real server process (`start_detached`), creates a
cluster with min_instances = max_instances = 2 and measures, against the targets of issue 3:

1. submit -> Running on a warm cluster: N trivial jobs (`python -c pass`) submitted one at a time,
   from just before `ws.jobs.create` to the job's `started_at` (the server's Running timestamp).
2. throughput of `--jobs` trivial jobs on the 2 instances, and the per-job overhead (README).
3. logging `--metrics` values from one job with `modelyard.run.log` and with `mlflow.log_metric`.
4. peers measured in the same run: a bare `subprocess.run([python, "-c", "pass"])` (the floor for
   latency and overhead), the same 200 bare runs on 2 threads (throughput), plain MLflow (metrics).
5. with `--ray-address`, 1 and 2 again on a `ray` compute target.

Every wait has a deadline; the server is stopped at the end, also on Ctrl+C or an error.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
JOB_CODE = HERE / "job"
TRIVIAL = "python -c pass"
STAMPED = "python -c \"import time; print('BENCH_T0=%.6f' % time.time())\""  # prints when the command started
T0 = re.compile(r"BENCH_T0=([0-9.]+)")
TERMINAL = {"Completed", "Failed", "Canceled"}
CLUSTER = "benchcluster"
RAY = "raycluster"
SLOTS = 2  # instances of the benchmark cluster; also the concurrency assumed for the Ray target
POLL = 0.05

TARGETS = {"latency": 0.5, "overhead": 1.0, "metrics": 10.0}


# -- small helpers -----------------------------------------------------------------------
def quantile(values: list[float], q: float) -> float:
    """Nearest-rank quantile (q in 0..1)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))]


def seconds(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f} s"


def one_line(text: str | None, width: int = 160) -> str:
    line = " ".join((text or "").split())
    return line if len(line) <= width else line[:width - 1] + "…"


def say(text: str) -> None:
    print(text, flush=True)


class BenchError(Exception):
    """A section could not be measured; the message says why."""


def job_spec(compute: str, command: str = TRIVIAL, experiment: str = "bench", **extra) -> dict:
    return {"type": "command", "command": command, "compute": compute, "environment": "system",
            "experiment_name": experiment, **extra}


# -- peers ---------------------------------------------------------------------------------
def bare_runs(count: int, threads: int = 1) -> tuple[list[float], float]:
    """Durations of `count` bare `python -c pass` runs, and the wall time of them all on `threads`."""
    def one(_: int) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        durations = list(pool.map(one, range(count)))
    return durations, time.perf_counter() - started


# -- the workspace under test --------------------------------------------------------------
class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.results: dict = {"args": {k: str(v) for k, v in vars(args).items()}, "sections": {}}
        self.rows: list[tuple] = []  # (section, figure, measured, target, peer, ratio)
        self.notes: list[str] = []  # errors, numbered in the table
        self.root: Path | None = None
        self.location = None
        self.ws = None
        self.context = None

    # lifecycle
    def start(self) -> None:
        from modelyard import Workspace
        from modelyard import server as servers
        from modelyard.services import workspace as workspaces

        os.environ.pop("MODELYARD_WORKSPACE", None)
        self.tmp = Path(tempfile.mkdtemp(prefix="modelyard-jobs-bench-"))
        self.root = self.tmp / "ws"
        self.location = workspaces.create(self.root, name="jobs-bench")
        started = time.perf_counter()
        info = servers.start_detached(self.location, "127.0.0.1", 0)
        self.results["server_start_s"] = time.perf_counter() - started
        say(f"workspace {self.root}; server pid {info.pid} on port {info.port} "
            f"(started in {self.results['server_start_s']:.1f} s)")
        self.ws = Workspace(self.root)

    def stop(self) -> None:
        from modelyard import server as servers

        if self.ws is not None:
            try:
                self.ws.close()
            except Exception:
                pass
        if self.context is not None:
            self.context.close()
        if self.location is not None:
            say("stopping the server...")
            servers.stop(self.location)
        if self.root is not None and not self.args.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)
        elif self.root is not None:
            say(f"kept the workspace at {self.root}")

    def store(self):
        """A read-only look at the store, for breakdowns the REST API does not expose (job history)."""
        if self.context is None:
            from modelyard.services import workspace as workspaces
            from modelyard.services._context import ServiceContext

            self.context = ServiceContext.open(workspaces.load(self.root))
        return self.context

    def history(self, names: list[str]) -> dict[str, tuple[dict, int | None]]:
        from sqlalchemy import select

        from modelyard.store import JobRow

        with self.store().session() as session:
            rows = session.execute(select(JobRow.name, JobRow.history, JobRow.instance_id)
                                   .where(JobRow.name.in_(names))).all()
        return {name: ({k: datetime.fromisoformat(v).timestamp() for k, v in (h or {}).items()}, inst)
                for name, h, inst in rows}

    def instance_states(self, compute: str) -> list[str]:
        from sqlalchemy import select

        from modelyard.store import InstanceRow

        with self.store().session() as session:
            return sorted(session.scalars(select(InstanceRow.state).where(InstanceRow.compute == compute)))

    # waiting
    def wait(self, name: str, timeout: float, until_running: bool = False):
        deadline = time.monotonic() + timeout
        while True:
            job = self.ws.jobs.get(name)
            if job.status in TERMINAL or (until_running and job.started_at is not None):
                return job
            if time.monotonic() > deadline:
                self.cancel([name])
                raise BenchError(f"job {name} still {job.status} after {timeout:.0f} s (canceled)")
            time.sleep(POLL)

    def wait_all(self, names: list[str], experiment: str, timeout: float) -> dict:
        pending, done = set(names), {}
        deadline = time.monotonic() + timeout
        while pending:
            offset = 0
            while True:
                page = self.ws.jobs.list(experiment_name=experiment, limit=1000, offset=offset)
                for job in page:
                    if job.name in pending and job.status in TERMINAL:
                        pending.discard(job.name)
                        done[job.name] = job
                if len(page) < 1000:
                    break
                offset += 1000
            if not pending:
                break
            if time.monotonic() > deadline:
                self.cancel(sorted(pending))
                statuses = {}
                for name in list(pending)[:200]:
                    status = self.ws.jobs.get(name).status
                    statuses[status] = statuses.get(status, 0) + 1
                raise BenchError(f"{len(pending)} of {len(names)} jobs unfinished after {timeout:.0f} s "
                                 f"({statuses}); canceled")
            time.sleep(0.25)
        return done

    def cancel(self, names: list[str]) -> None:
        for name in names:
            try:
                self.ws.jobs.cancel(name)
            except Exception:
                pass

    def row(self, section: str, figure: str, measured: str, target: str = "", peer: str = "",
            ratio: str = "") -> None:
        self.rows.append((section, figure, measured, target, peer, ratio))

    def error(self, section: str, figure: str, message: str) -> None:
        """An error row; the message is printed under the table."""
        self.notes.append(f"{section}: {one_line(message, 600)}")
        self.row(section, figure, f"ERROR [{len(self.notes)}]")

    # -- 0: peers ----------------------------------------------------------------------------
    def floor(self) -> None:
        say("peer: bare subprocess.run([python, '-c', 'pass']) ...")
        durations, _ = bare_runs(20)
        self.floor_median = statistics.median(durations)
        self.floor_p90 = quantile(durations, 0.9)
        runs, wall = bare_runs(self.args.jobs, threads=SLOTS)
        self.floor_throughput = self.args.jobs / wall
        self.floor_parallel_median = statistics.median(runs)
        self.results["sections"]["floor"] = {"median_s": self.floor_median, "p90_s": self.floor_p90,
                                             "jobs": self.args.jobs, "threads": SLOTS, "wall_s": wall,
                                             "jobs_per_s": self.floor_throughput,
                                             "median_on_2_threads_s": self.floor_parallel_median}
        self.row("peer", "bare `python -c pass`, median / p90",
                 f"{seconds(self.floor_median)} / {seconds(self.floor_p90)}")
        self.row("peer", f"{self.args.jobs} bare runs on {SLOTS} threads", f"{self.floor_throughput:.1f} jobs/s")

    # -- cluster -----------------------------------------------------------------------------
    def create_cluster(self) -> None:
        self.ws.compute.create(name=CLUSTER, type="cluster", min_instances=SLOTS, max_instances=SLOTS,
                               idle_time_before_scale_down=600)
        started = time.perf_counter()
        deadline = time.monotonic() + 60
        while self.ws.compute.get(CLUSTER).instances.idle != SLOTS:
            if time.monotonic() > deadline:
                raise BenchError(f"cluster not idle after 60 s: {self.ws.compute.get(CLUSTER).instances}")
            time.sleep(POLL)
        api_idle = time.perf_counter() - started
        states_then = self.instance_states(CLUSTER)
        while self.instance_states(CLUSTER) != ["idle"] * SLOTS:
            if time.monotonic() > deadline:
                break
            time.sleep(POLL)
        workers_idle = time.perf_counter() - started
        self.results["sections"]["cluster_start"] = {"api_idle_s": api_idle, "states_when_api_idle": states_then,
                                                     "workers_idle_s": workers_idle}
        say(f"cluster: instances.idle == {SLOTS} after {api_idle:.2f} s (instance states then: {states_then}); "
            f"workers idle after {workers_idle:.2f} s")
        self.row("cluster", f"create -> instances.idle == {SLOTS} (API)", seconds(api_idle, 2))
        self.row("cluster", "create -> both workers polling (store)", seconds(workers_idle, 2))

    def first_jobs(self, compute: str, section: str, timeout: float, fresh_workspace: bool) -> None:
        """What a user's first submits cost on just-started instances.

        On a fresh workspace one job goes first, alone: the first job creates the MLflow tracking
        database, and two processes doing that at once race in MLflow's migrations (README).
        Then one job per instance at once: each worker's first job.
        """
        if fresh_workspace:
            started = time.time()
            job = self.wait(self.ws.jobs.create(job_spec(compute, experiment=f"bench-first-{compute}")).name, timeout)
            latency = job.started_at.timestamp() - started if job.started_at else None
            self.results["sections"][f"{section}_first_job"] = {"latency_s": latency, "status": job.status,
                                                                "error": job.error}
            preparing = self.phases([job.name]).get("preparing")
            self.row(section, "first job on a fresh workspace: submit -> Running",
                     f"{seconds(latency, 2)} (Preparing {seconds(preparing, 2)})",
                     ratio="" if job.status == "Completed" else f"{job.status}: {one_line(job.error, 60)}")
            if job.status != "Completed":
                raise BenchError(f"the first job {job.name} {job.status}: {job.error}")
        submitted = []
        for _ in range(SLOTS):
            started = time.time()
            submitted.append((started, self.ws.jobs.create(job_spec(compute, experiment=f"bench-first-{compute}")).name))
        latencies, failures = [], []
        for started, name in submitted:
            job = self.wait(name, timeout)
            if job.started_at is not None:
                latencies.append(job.started_at.timestamp() - started)
            if job.status != "Completed":
                failures.append(f"{name}: {job.status}: {one_line(job.error)}")
        self.results["sections"][f"{section}_first_jobs"] = {"latencies_s": latencies, "failures": failures}
        histories = self.history([name for _, name in submitted])
        preparing = [histories[name][0]["Running"] - histories[name][0]["Preparing"] for _, name in submitted
                     if name in histories and {"Running", "Preparing"} <= histories[name][0].keys()]
        self.row(section, f"then {SLOTS} jobs at once: submit -> Running",
                 (" / ".join(seconds(v, 2) for v in latencies) or "—")
                 + (f" (Preparing {' / '.join(seconds(v, 2) for v in preparing)})" if preparing else ""),
                 ratio=f"{len(failures)} of {SLOTS} FAILED" if failures else "")
        for failure in failures:
            say(f"  first-job failure: {failure}")
        if len(failures) == SLOTS:
            raise BenchError(f"every first job failed, e.g. {failures[0]}")

    def warm_up(self, compute: str, timeout: float) -> None:
        """Until every instance has run a job (a worker imports MLflow on its first job)."""
        seen: set = set()
        for _ in range(6):
            names = [self.ws.jobs.create(job_spec(compute, experiment="bench-warmup")).name for _ in range(SLOTS)]
            for name in names:
                self.wait(name, timeout)
            seen |= {inst for _, inst in self.history(names).values() if inst is not None}
            if len(seen) >= SLOTS:
                return
        say(f"  warm-up: only instances {sorted(seen)} ran a job after 6 rounds")

    def latency(self, compute: str, section: str, timeout: float, count: int) -> None:
        say(f"{section}: submit -> Running, {count} jobs one at a time ...")
        latencies, creates, ends, names, commands = [], [], [], [], []
        for _ in range(count):
            started = time.time()
            job = self.ws.jobs.create(job_spec(compute, STAMPED, experiment=f"bench-latency-{compute}"))
            creates.append(time.time() - started)
            job = self.wait(job.name, timeout)
            if job.status != "Completed":
                raise BenchError(f"job {job.name} {job.status}: {job.error}")
            latencies.append(job.started_at.timestamp() - started)
            stamp = T0.search(self.ws.jobs.logs(job.name)["text"])
            if stamp:
                commands.append(float(stamp.group(1)) - started)
            ends.append(job.ended_at.timestamp() - started)
            names.append(job.name)
        median, p90 = statistics.median(latencies), quantile(latencies, 0.9)
        phases = self.phases(names)
        self.results["sections"][f"{section}_latency"] = {
            "latencies_s": latencies, "median_s": median, "p90_s": p90, "create_call_median_s": statistics.median(creates),
            "submit_to_end_median_s": statistics.median(ends), "phases_median_s": phases,
            "submit_to_command_start_s": commands}
        ok = "OK" if median < TARGETS["latency"] else "MISSED"
        self.row(section, f"submit -> Running, median / p90 ({count} jobs)", f"{seconds(median)} / {seconds(p90)}",
                 f"median < {TARGETS['latency']} s: {ok}", seconds(self.floor_median),
                 f"{median / self.floor_median:.1f}x floor")
        self.row(section, "  of which: ws.jobs.create call (median)", seconds(statistics.median(creates)))
        self.row(section, "  of which: Queued -> Preparing (claim, median)", seconds(phases.get("queued")))
        self.row(section, "  of which: Preparing -> Running (median)", seconds(phases.get("preparing")))
        if commands:
            median_cmd = statistics.median(commands)
            self.row(section, "submit -> the command's first line runs, median / p90",
                     f"{seconds(median_cmd)} / {seconds(quantile(commands, 0.9))}",
                     f"median < {TARGETS['latency']} s: {'OK' if median_cmd < TARGETS['latency'] else 'MISSED'}",
                     seconds(self.floor_median), f"{median_cmd / self.floor_median:.1f}x floor")
        self.row(section, "submit -> Completed (median)", seconds(statistics.median(ends)))

    def phases(self, names: list[str]) -> dict[str, float]:
        """Median seconds spent in each status (from the jobs' recorded history)."""
        spans: dict[str, list[float]] = {}
        for history, _ in self.history(names).values():
            for key, start, end in (("queued", "Queued", "Preparing"), ("preparing", "Preparing", "Running"),
                                    ("running", "Running", "Finalizing"), ("finalizing", "Finalizing", "Completed")):
                if start in history and end in history:
                    spans.setdefault(key, []).append(history[end] - history[start])
        return {key: statistics.median(values) for key, values in spans.items()}

    def throughput(self, compute: str, section: str, timeout: float, count: int) -> None:
        experiment = f"bench-throughput-{compute}"
        say(f"{section}: throughput of {count} trivial jobs on {SLOTS} slots ...")
        started = time.time()
        names = [self.ws.jobs.create(job_spec(compute, experiment=experiment)).name for _ in range(count)]
        submitted = time.time() - started
        done = self.wait_all(names, experiment, timeout)
        observed = time.time() - started
        failed = [job for job in done.values() if job.status != "Completed"]
        if failed:
            raise BenchError(f"{len(failed)} of {count} jobs did not complete, e.g. {failed[0].name} "
                             f"{failed[0].status}: {failed[0].error}")
        wall = max(job.ended_at.timestamp() for job in done.values()) - started
        recorded = [job.ended_at.timestamp() - job.started_at.timestamp() for job in done.values()]
        occupancy = wall * SLOTS / count
        overhead = occupancy - self.floor_parallel_median
        overhead_recorded = occupancy - statistics.mean(recorded)
        gaps = self.claim_gaps(names)
        phases = self.phases(names)
        self.results["sections"][f"{section}_throughput"] = {
            "jobs": count, "slots": SLOTS, "submit_all_s": submitted, "wall_s": wall, "observed_wall_s": observed,
            "jobs_per_s": count / wall, "occupancy_per_job_s": occupancy, "command_floor_s": self.floor_parallel_median,
            "overhead_per_job_s": overhead, "recorded_running_mean_s": statistics.mean(recorded),
            "overhead_beyond_recorded_running_s": overhead_recorded, "phases_median_s": phases,
            "instance_gap_median_s": gaps}
        ok = "OK" if overhead < TARGETS["overhead"] else "MISSED"
        self.row(section, f"{count} jobs: wall (first submit -> last end)", seconds(wall, 1))
        self.row(section, "throughput", f"{count / wall:.2f} jobs/s", "", f"{self.floor_throughput:.1f} jobs/s",
                 f"{count / wall / self.floor_throughput:.2g}x peer")
        self.row(section, "instance time per job (wall x slots / jobs)", seconds(occupancy))
        self.row(section, "per-job overhead (beyond the bare command)", seconds(overhead),
                 f"< {TARGETS['overhead']} s: {ok}", seconds(self.floor_parallel_median),
                 f"{overhead / self.floor_parallel_median:.1f}x floor")
        if overhead_recorded >= 0:  # negative on Ray: jobs count as Running while they wait in Ray's queue
            self.row(section, "  overhead beyond recorded Running->end", seconds(overhead_recorded))
        self.row(section, "  median Preparing -> Running", seconds(phases.get("preparing")))
        self.row(section, "  median Running -> Finalizing (incl. the command)", seconds(phases.get("running")))
        self.row(section, "  median Finalizing -> Completed", seconds(phases.get("finalizing")))
        if gaps is not None:
            self.row(section, "  median instance gap (end -> next claim)", seconds(gaps))

    def claim_gaps(self, names: list[str]) -> float | None:
        by_instance: dict = {}
        for history, instance in self.history(names).values():
            if instance is not None and "Preparing" in history and "Completed" in history:
                by_instance.setdefault(instance, []).append((history["Preparing"], history["Completed"]))
        gaps = []
        for spans in by_instance.values():
            spans.sort()
            gaps += [nxt[0] - prev[1] for prev, nxt in zip(spans, spans[1:])]
        return statistics.median(gaps) if gaps else None

    # -- metrics -------------------------------------------------------------------------------
    def metrics(self) -> None:
        count = self.args.metrics
        measured = {}
        for mode in ("modelyard", "mlflow"):
            say(f"metrics: {count} values with {'modelyard.run.log' if mode == 'modelyard' else 'mlflow.log_metric'} ...")
            timeout = 120 + count / 10_000 * (60 if mode == "modelyard" else 400)
            spec = job_spec(CLUSTER, f"python log_metrics.py {mode} {count}", experiment="bench-metrics",
                            code=str(JOB_CODE), limits={"timeout": int(timeout)})
            started = time.time()
            try:
                job = self.wait(self.ws.jobs.create(spec).name, timeout + 30)
                if job.status != "Completed":
                    raise BenchError(f"job {job.name} {job.status}: {job.error}")
                text = self.ws.jobs.logs(job.name)["text"]
                found = re.search(r"BENCH_LOG_SECONDS=([0-9.]+) BENCH_IMPORT_SECONDS=([0-9.]+)", text)
                if not found:
                    raise BenchError(f"job {job.name} printed no timing; log tail: {text[-300:]}")
                logged = len(self.ws.jobs.metric_history(job.name).get("loss", []))
                measured[mode] = {"in_job_s": float(found.group(1)), "import_s": float(found.group(2)),
                                  "job_running_s": job.duration_seconds,
                                  "submit_to_end_s": job.ended_at.timestamp() - started, "stored_values": logged}
                if logged != count:
                    measured[mode]["error"] = f"{logged} of {count} values in the tracking store"
            except BenchError as error:
                measured[mode] = {"error": str(error)}
        self.results["sections"]["metrics"] = measured
        ours, peer = measured["modelyard"], measured["mlflow"]
        for mode, figures in measured.items():
            label = "modelyard.run.log" if mode == "modelyard" else "plain mlflow.log_metric"
            if "in_job_s" not in figures:
                self.error("metrics", f"{count} values, {label}", figures["error"])
                continue
            target = ratio = peer_text = ""
            if mode == "modelyard":
                limit = TARGETS["metrics"]  # stated for 10,000 values
                target = f"< {limit:g} s: {'OK' if figures['in_job_s'] < limit else 'MISSED'}"
                if "in_job_s" in peer:
                    peer_text = seconds(peer["in_job_s"], 2)
                    ratio = f"{peer['in_job_s'] / figures['in_job_s']:.0f}x faster"
            self.row("metrics", f"{count} values, {label}: in the job", seconds(figures["in_job_s"], 2), target,
                     peer_text, ratio)
            self.row("metrics", "  import mlflow (before the clock)", seconds(figures["import_s"], 2))
            self.row("metrics", "  job Running -> end / submit -> end",
                     f"{seconds(figures['job_running_s'], 2)} / {seconds(figures['submit_to_end_s'], 2)}")
            if figures.get("error"):
                self.error("metrics", "  stored values", figures["error"])

    # -- ray -----------------------------------------------------------------------------------
    def ray(self, address: str) -> None:
        section = "ray"
        try:
            try:
                self.ws.compute.create(name=RAY, type="ray", address=address)
            except Exception as error:
                raise BenchError(f"creating the ray compute failed: {type(error).__name__}: {error}") from None
            try:
                self.ray_peer(address)
            except Exception as error:  # the peer is for comparison; modelyard's own figures still count
                self.error("ray peer", "Ray job API alone", f"{type(error).__name__}: {error}")
            self.first_jobs(RAY, section, timeout=180, fresh_workspace=False)
            self.latency(RAY, section, timeout=120, count=self.args.ray_latency_jobs)
            self.throughput(RAY, section, timeout=max(300, self.args.ray_jobs * 6), count=self.args.ray_jobs)
            self.ray_ratios()
        except BenchError as error:
            self.results["sections"]["ray_error"] = str(error)
            self.error(section, "section stopped", str(error))
            say(f"ray: {error}")

    def ray_peer(self, address: str) -> None:
        """The same trivial jobs submitted straight to Ray's job API, without modelyard."""
        from ray.job_submission import JobSubmissionClient

        client = JobSubmissionClient(address)
        say(f"ray peer: {self.args.ray_latency_jobs} jobs one at a time, {self.args.ray_jobs} at once, "
            "straight through Ray's job API ...")

        def finish(submission: str, deadline: float) -> str:
            while (status := str(client.get_job_status(submission).value)) not in ("SUCCEEDED", "FAILED", "STOPPED"):
                if time.monotonic() > deadline:
                    client.stop_job(submission)
                    raise BenchError(f"direct Ray job {submission} still {status}; stopped")
                time.sleep(POLL)
            if status != "SUCCEEDED":
                raise BenchError(f"direct Ray job {submission} {status}: {client.get_job_info(submission).message}")
            return status

        starts, ends = [], []
        for _ in range(self.args.ray_latency_jobs):
            started = time.time()
            submission = client.submit_job(entrypoint=STAMPED, entrypoint_num_cpus=1)
            finish(submission, time.monotonic() + 120)
            ends.append(time.time() - started)
            stamp = T0.search(client.get_job_logs(submission))
            if stamp:
                starts.append(float(stamp.group(1)) - started)
        started = time.time()
        submissions = [client.submit_job(entrypoint=TRIVIAL, entrypoint_num_cpus=1)
                       for _ in range(self.args.ray_jobs)]
        deadline = time.monotonic() + max(300, self.args.ray_jobs * 6)
        for submission in submissions:
            finish(submission, deadline)
        wall = max(client.get_job_info(s).end_time for s in submissions) / 1000 - started
        self.ray_peer_figures = {"command_start_s": starts, "submit_to_end_s": ends, "jobs": self.args.ray_jobs,
                                 "wall_s": wall, "jobs_per_s": self.args.ray_jobs / wall,
                                 "overhead_per_job_s": wall * SLOTS / self.args.ray_jobs - self.floor_parallel_median}
        self.results["sections"]["ray_peer"] = self.ray_peer_figures
        if starts:
            self.row("ray peer", "Ray job API alone: submit -> command's first line, median",
                     seconds(statistics.median(starts)))
        self.row("ray peer", "Ray job API alone: submit -> SUCCEEDED seen, median", seconds(statistics.median(ends)))
        self.row("ray peer", f"Ray job API alone: {self.args.ray_jobs} jobs at once",
                 f"{self.ray_peer_figures['jobs_per_s']:.2f} jobs/s; overhead "
                 f"{seconds(self.ray_peer_figures['overhead_per_job_s'])}")

    def ray_ratios(self) -> None:
        """modelyard on Ray against Ray's job API alone (the named peer for this target)."""
        peer = getattr(self, "ray_peer_figures", None)
        ours = self.results["sections"]
        if not peer:
            return
        latency, throughput = ours.get("ray_latency", {}), ours.get("ray_throughput", {})
        if peer["command_start_s"] and latency.get("submit_to_command_start_s"):
            mine, theirs = (statistics.median(latency["submit_to_command_start_s"]),
                            statistics.median(peer["command_start_s"]))
            self.row("ray", "submit -> command's first line vs Ray API alone", seconds(mine), "",
                     seconds(theirs), f"{mine / theirs:.2f}x peer")
        if throughput:
            self.row("ray", "per-job overhead vs Ray API alone", seconds(throughput["overhead_per_job_s"]), "",
                     seconds(peer["overhead_per_job_s"]),
                     f"{throughput['overhead_per_job_s'] / peer['overhead_per_job_s']:.2f}x peer")

    # -- report --------------------------------------------------------------------------------
    def report(self) -> None:
        headers = ("section", "figure", "measured", "target", "peer", "ratio")
        widths = [max(len(str(row[i])) for row in [headers, *self.rows]) for i in range(len(headers))]
        line = "  ".join("{:<%d}" % w for w in widths)
        say("\n" + line.format(*headers))
        say("  ".join("-" * w for w in widths))
        for row in self.rows:
            say(line.format(*row))
        for number, note in enumerate(self.notes, 1):
            say(f"[{number}] {note}")
        results = self.args.results
        results.mkdir(parents=True, exist_ok=True)
        path = results / f"jobs-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
        self.results["table"] = self.rows
        self.results["errors"] = self.notes
        path.write_text(json.dumps(self.results, indent=2, default=str))
        say(f"\nraw figures: {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=200, help="trivial jobs for the throughput run")
    parser.add_argument("--latency-jobs", type=int, default=None,
                        help="jobs submitted one at a time for the latency figure (default min(30, --jobs))")
    parser.add_argument("--metrics", type=int, default=10_000, help="metric values logged from one job")
    parser.add_argument("--ray-address", default=None, help="Ray dashboard URL: repeat latency and throughput on Ray")
    parser.add_argument("--ray-jobs", type=int, default=None,
                        help="throughput jobs on Ray (default min(30, --jobs): each Ray job takes seconds)")
    parser.add_argument("--ray-latency-jobs", type=int, default=None,
                        help="latency jobs on Ray (default min(10, --latency-jobs))")
    parser.add_argument("--results", type=Path, default=HERE / "results", help="folder for the raw figures (JSON)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    args = parser.parse_args()
    args.latency_jobs = args.latency_jobs or min(30, args.jobs)
    args.ray_jobs = args.ray_jobs or min(30, args.jobs)
    args.ray_latency_jobs = args.ray_latency_jobs or min(10, args.latency_jobs)

    def terminate(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    bench = Bench(args)
    started = time.perf_counter()
    code = 0
    try:
        bench.floor()
        bench.start()
        try:
            bench.create_cluster()
            bench.first_jobs(CLUSTER, "cluster", timeout=120, fresh_workspace=True)
            bench.warm_up(CLUSTER, timeout=120)
            bench.latency(CLUSTER, "cluster", timeout=60, count=args.latency_jobs)
            bench.throughput(CLUSTER, "cluster", timeout=max(120, args.jobs * 3), count=args.jobs)
        except BenchError as error:
            code = 1
            bench.error("cluster", "section stopped", str(error))
            say(f"cluster: {error}")
        bench.metrics()
        if args.ray_address:
            bench.ray(args.ray_address)
    except KeyboardInterrupt:
        say("\ninterrupted; stopping the server")
        code = 130
    finally:
        bench.stop()
    bench.results["total_s"] = time.perf_counter() - started
    bench.report()
    if code == 0 and any(not note.startswith("ray:") for note in bench.notes):
        code = 1  # a cluster or metrics figure could not be measured (Ray errors are reported, not fatal)
    say(f"total {bench.results['total_s']:.0f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
