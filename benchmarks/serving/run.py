"""Serving benchmark: the modelyard scoring process vs ``mlflow models serve`` vs a bare ASGI app.

    python benchmarks/serving/run.py                      # full run: ~6 min
    python benchmarks/serving/run.py --duration 3 --concurrency 8   # a quick look
    python benchmarks/serving/run.py --endpoint-url http://127.0.0.1:8000/api/v1/service/NAME/score \
        --key KEY --endpoint-model lr                     # also measure a key-authenticated endpoint

Three attrition models trained on the HR CSV (``MODELYARD_SAMPLE_DATA`` or
``../shared/data/HR-Employee-Attrition.csv``): ``lr`` (ColumnTransformer of OneHotEncoder +
StandardScaler, LogisticRegression; saved with skops), ``lgbm`` (OrdinalEncoder + passthrough,
LGBMClassifier; saved with cloudpickle) and ``automl`` (the best model of a modelyard AutoML run of
``--automl-seconds`` on the table, as AutoML saves it). Each is served, one process each, by the modelyard
scoring process and by ``mlflow models serve --env-manager local -w 1``; ``hello`` (hello.py under
uvicorn, httptools + uvloop) parses the body and answers a constant. Load comes from ``wrk``
(``apt-get install -y wrk``) with post.lua, for ``--duration`` seconds per cell, at each
concurrency, with a single-row and a 100-row body; every server and every load is on loopback and
bounded in time. Prints requests/s, rows/s, p50/p99 latency and the ratios to MLflow; writes the
same as JSON with ``--json``.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DROPPED = ["EmployeeCount", "EmployeeNumber", "Over18", "StandardHours"]
CATEGORICAL = ["BusinessTravel", "Department", "EducationField", "Gender", "JobRole", "MaritalStatus", "OverTime"]
TARGETS = {"single": {"c8_rps": 20.0, "c8_p99": 10.0, "c64_rps": 30.0}, "rows100": {"rows_per_s": 5.0}}


# -- models ---------------------------------------------------------------------------------
def sample_data() -> Path:
    path = Path(os.environ.get("MODELYARD_SAMPLE_DATA") or REPO.parent / "shared" / "data" / "HR-Employee-Attrition.csv")
    if not path.is_file():
        sys.exit(f"sample data {path} is missing: set MODELYARD_SAMPLE_DATA")
    return path


def train_automl(out: Path, frame, seconds: float) -> Path:
    """The best model of an AutoML classification run of ``seconds`` on the whole table."""
    from modelyard.automl import run_automl, save_model
    from modelyard.spec.automl import AutoMLJob

    job = AutoMLJob(task="classification", training_data="hr.csv", target_column_name="Attrition",
                    limits={"timeout_minutes": seconds / 60})
    result = run_automl(job, frame)
    print(f"  automl: best {result.best.algorithm} ({result.primary_metric} {result.best.primary:.3f}) "
          f"of {len(result.trials)} trials", flush=True)
    return save_model(result.best, out / "automl", frame.drop(columns="Attrition"))


def train_models(out: Path, automl_seconds: float | None = None) -> tuple[dict[str, Path], list[dict]]:
    import warnings

    import mlflow.sklearn
    import pandas as pd
    from lightgbm import LGBMClassifier
    from mlflow.models import infer_signature
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

    warnings.filterwarnings("ignore")
    df = pd.read_csv(sample_data(), encoding="utf-8-sig")
    table = df.copy()
    y = (df.pop("Attrition") == "Yes").astype(int)
    X = df.drop(columns=DROPPED)
    numeric = [c for c in X.columns if c not in CATEGORICAL]
    lr = Pipeline([("pre", ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
                                              ("num", StandardScaler(), numeric)])),
                   ("clf", LogisticRegression(max_iter=2000))]).fit(X, y)
    lgbm = Pipeline([("pre", ColumnTransformer([("cat", OrdinalEncoder(handle_unknown="use_encoded_value",
                                                                       unknown_value=-1), CATEGORICAL)],
                                               remainder="passthrough")),
                     ("clf", LGBMClassifier(n_estimators=100, num_leaves=31, verbose=-1))]).fit(X, y)
    example = X.head(5)
    paths = {}
    for name, model, fmt in (("lr", lr, "skops"), ("lgbm", lgbm, "cloudpickle")):
        paths[name] = out / name
        mlflow.sklearn.save_model(model, str(paths[name]), serialization_format=fmt,
                                  signature=infer_signature(example, model.predict(example)), input_example=example)
    if automl_seconds:
        paths["automl"] = train_automl(out, table, automl_seconds)
    records = json.loads(X.to_json(orient="records"))
    return paths, records


# -- servers --------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"server for {url} exited {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    sys.exit(f"{url} not ready in {timeout:.0f} s:\n{log.read_text()[-3000:]}")


class Server:
    def __init__(self, name: str, cmd: list[str], ready_path: str, score_path: str, env: dict, logdir: Path,
                 port: int) -> None:
        self.name = name
        self.base = f"http://127.0.0.1:{port}"
        self.url = self.base + score_path
        self.log = logdir / f"{name}.log"
        self._out = open(self.log, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self._out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        wait_ready(self.base + ready_path, self.proc, 180, self.log)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._out.close()


def server_env() -> dict:
    env = dict(os.environ)
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = venv_bin + os.pathsep + env.get("PATH", "")  # mlflow models serve execs uvicorn via bash
    env.setdefault("MLFLOW_ALLOW_PICKLE_DESERIALIZATION", "true")  # mlflow serve loads the same files we do
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # both servers: no OpenMP spinning on a shared machine
    env.pop("KEY", None)
    return env


def start_modelyard(model: Path, logdir: Path, env: dict) -> Server:
    port = free_port()
    return Server(f"modelyard-{model.name}",
                  [sys.executable, "-m", "modelyard.serving", "--model-dir", str(model), "--host", "127.0.0.1",
                   "--port", str(port), "--max-concurrent", "4096"], "/ready", "/score", env, logdir, port)


def start_mlflow(model: Path, logdir: Path, env: dict) -> Server:
    port = free_port()
    mlflow = shutil.which("mlflow", path=env["PATH"]) or "mlflow"
    return Server(f"mlflow-{model.name}",
                  [mlflow, "models", "serve", "-m", str(model), "--env-manager", "local", "-h", "127.0.0.1",
                   "-p", str(port), "-w", "1"], "/ping", "/invocations", env, logdir, port)


def start_hello(logdir: Path, env: dict) -> Server:
    port = free_port()
    return Server("hello", [sys.executable, "-m", "uvicorn", "--app-dir", str(HERE), "hello:app", "--host", "127.0.0.1",
                            "--port", str(port), "--loop", "uvloop", "--http", "httptools", "--no-access-log",
                            "--log-level", "warning"], "/", "/", env, logdir, port)


def pinned(cmd: list[str], core: int | None) -> list[str]:
    return ["taskset", "-c", str(core), *cmd] if core is not None and shutil.which("taskset") else cmd


class WorkspaceEndpoint(Server):
    """A temporary workspace whose server (pinned to ``core``; its scoring processes inherit the pin)
    serves ``model`` from endpoint 'hop' (key auth), one scoring process."""

    def __init__(self, model: Path, work: Path, env: dict, core: int | None) -> None:
        root = self.root = work / "ws"
        subprocess.run([sys.executable, "-m", "modelyard", "workspace", "create", str(root)], check=True,
                       capture_output=True, env=env)
        port = free_port()
        super().__init__("workspace-server", pinned([sys.executable, "-m", "modelyard.server", "--workspace",
                                                     str(root), "--host", "127.0.0.1", "--port", str(port)], core),
                         "/health", "", env, work, port)
        from modelyard import Workspace

        with Workspace(root) as ws:
            ws.models.create(name="hop", path=str(model))
            ws.online_endpoints.create(name="hop")
            ws.online_endpoints.create_deployment(name="blue", endpoint_name="hop", model="hop:1", timeout=240,
                                                  request_settings={"max_concurrent_requests_per_instance": 4096})
            self.key = ws.online_endpoints.get_credentials("hop").primary_key
            self.scoring_pid = ws.online_endpoints.get_deployment("hop", "blue").instances[0].pid
            self.url = self.base + ws.online_endpoints.get("hop").scoring_uri
        token = root / ".modelyard" / "token"
        self.headers = {"Authorization": f"Bearer {token.read_text().strip()}"} if token.exists() else {}

    def coalesced(self) -> tuple[int, int]:
        """Requests the server sent in batches to the scoring process, and the batches."""
        request = urllib.request.Request(self.base + "/metrics", headers=self.headers)
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read().decode()
        counts = dict(re.findall(r"^modelyard_scoring_coalesced_(\w+)_total (\d+)$", text, re.M))
        return int(counts.get("requests", 0)), int(counts.get("messages", 0))


def router_hop(model: Path, records: list[dict], work: Path, env: dict, duration: int, concurrency: int,
               core: int, load_core: int | None) -> dict:
    """Single-row req/s of the bare scoring process vs the key-authenticated route through the
    workspace server, each pinned to ``core``; wrk pinned to ``load_core``."""
    body = work / "body-hop.json"
    body.write_bytes(json.dumps({"data": records[:1]}).encode())

    def load(url: str, pids: dict[str, int], key: str | None = None) -> dict:
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        r = run_wrk(url, body, concurrency, duration, key, core=load_core)
        if r["non_2xx"] or r["socket_errors"] or not r["requests"]:
            sys.exit(f"{url}: {r['non_2xx']} non-2xx, {r['socket_errors']} socket errors of {r['requests']}")
        for name, pid in pids.items():  # CPU per request: what a loaded machine disturbs least
            r[f"{name}_cpu_us"] = (cpu_seconds(pid) - before[name]) / r["requests"] * 1e6
        return r

    port = free_port()
    bare = Server("bare", pinned([sys.executable, "-m", "modelyard.serving", "--model-dir", str(model), "--host",
                                  "127.0.0.1", "--port", str(port), "--max-concurrent", "4096"], core),
                  "/ready", "/score", env, work, port)
    try:
        alone = load(bare.url, {"scoring": bare.proc.pid})
    finally:
        bare.stop()
    endpoint = WorkspaceEndpoint(model, work, env, core)
    try:
        routed = load(endpoint.url, {"router": endpoint.proc.pid, "scoring": endpoint.scoring_pid}, endpoint.key)
        coalesced, batches = endpoint.coalesced()
    finally:
        endpoint.stop()
    ratio = routed["rps"] / alone["rps"] if alone["rps"] else float("nan")
    print(f"router hop, single-row c={concurrency}, {duration} s each, server(s) pinned to core {core}, "
          f"wrk to {load_core}:")
    print(f"  bare scoring process   {alone['rps']:>9.1f} req/s  p50 {alone['p50_ms']:.2f} ms  p99 {alone['p99_ms']:.2f} ms")
    print(f"  key route (router hop) {routed['rps']:>9.1f} req/s  p50 {routed['p50_ms']:.2f} ms  "
          f"p99 {routed['p99_ms']:.2f} ms")
    print(f"  ratio {ratio:.2f} (target ≥ 0.67: {'met' if ratio >= 2 / 3 else 'MISSED'})")
    cpu_ratio = alone["scoring_cpu_us"] / (routed["router_cpu_us"] + routed["scoring_cpu_us"])
    print(f"  CPU per request: bare scoring process {alone['scoring_cpu_us']:.0f} µs; routed: server "
          f"{routed['router_cpu_us']:.0f} µs + scoring process {routed['scoring_cpu_us']:.0f} µs "
          f"(ratio from CPU time {cpu_ratio:.2f}: what one saturated core would give)")
    print(f"  {coalesced / max(routed['requests'], 1):.0%} of the routed requests reached the scoring process "
          f"coalesced, {coalesced / max(batches, 1):.1f} a message")
    return {"bare": alone, "routed": routed, "ratio": ratio, "cpu_ratio": cpu_ratio}


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- load -----------------------------------------------------------------------------------
_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return float(m.group(1)) * _UNIT[m.group(2)] if m else float("nan")


def run_wrk(url: str, body: Path, concurrency: int, duration: int, key: str | None = None,
            core: int | None = None) -> dict:
    env = dict(os.environ, BODY=str(body))
    if key:
        env["KEY"] = key
    threads = min(concurrency, 2)
    cmd = pinned(["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{duration}s", "--timeout", "30s", "--latency",
                  "-s", str(HERE / "post.lua"), url], core)
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=duration + 60).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50_ms": _ms(p50.group(1)) if p50 else float("nan"),
            "p99_ms": _ms(p99.group(1)) if p99 else float("nan"), "requests": int(total.group(1)) if total else 0,
            "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": sum(int(x) for x in sock.groups()) if sock else 0}


def post(url: str, body: bytes, key: str | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {"error": exc.read()[:300].decode(errors="replace")}


def predictions(answer: dict) -> list:
    return answer.get("result", answer.get("predictions"))


def require_loopback(url: str) -> None:
    host = urllib.parse.urlparse(url).hostname or ""
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        sys.exit(f"--endpoint-url must be a loopback URL (got host {host!r})")


# -- report ---------------------------------------------------------------------------------
def fmt(x: float, digits: int = 1) -> str:
    return "-" if x != x else f"{x:,.{digits}f}"


def report(results: list[dict]) -> str:
    lines = []
    head = f"{'model':6} {'server':10} {'rows':>4} {'c':>3} {'req/s':>10} {'rows/s':>11} {'p50 ms':>8} {'p99 ms':>8} " \
           f"{'err':>5} {'×mlflow req/s':>13} {'mlflow p99/ours':>15}"
    lines += [head, "-" * len(head)]
    base = {(r["model"], r["rows"], r["c"]): r for r in results if r["server"] == "mlflow"}
    for r in results:
        m = base.get((r["model"], r["rows"], r["c"]))
        ratio = r["rps"] / m["rps"] if m and m["rps"] and r["server"] != "mlflow" else float("nan")
        p99r = m["p99_ms"] / r["p99_ms"] if m and r["p99_ms"] and r["server"] != "mlflow" else float("nan")
        r["x_mlflow_rps"], r["mlflow_p99_over_ours"] = ratio, p99r
        lines.append(f"{r['model']:6} {r['server']:10} {r['rows']:>4} {r['c']:>3} {fmt(r['rps']):>10} "
                     f"{fmt(r['rps'] * r['rows'], 0):>11} {fmt(r['p50_ms'], 2):>8} {fmt(r['p99_ms'], 2):>8} "
                     f"{r['non_2xx'] + r['socket_errors']:>5} {fmt(ratio):>13} {fmt(p99r):>15}")
    lines.append("")
    lines.append("targets (issue 5; modelyard vs mlflow, same model, same machine):")
    for model in sorted({r["model"] for r in results if r["server"] == "modelyard"}):
        mine = {(r["rows"], r["c"]): r for r in results if r["server"] == "modelyard" and r["model"] == model}
        checks = []
        if (1, 8) in mine:
            checks.append(("single-row c=8 req/s ≥ 20×", mine[(1, 8)]["x_mlflow_rps"], 20))
            checks.append(("single-row c=8 p99 ≤ 1/10 (mlflow p99 / ours ≥ 10)", mine[(1, 8)]["mlflow_p99_over_ours"], 10))
        if (1, 64) in mine:
            checks.append(("single-row c=64 req/s ≥ 30×", mine[(1, 64)]["x_mlflow_rps"], 30))
        for (rows, c), r in sorted(mine.items()):
            if rows > 1:
                checks.append((f"{rows}-row c={c} rows/s ≥ 5×", r["x_mlflow_rps"], 5))
        for label, value, goal in checks:
            verdict = "-" if value != value else ("met" if value >= goal else "MISSED")
            lines.append(f"  {model:5} {label:52} {fmt(value):>8}  {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=int, default=10, help="seconds of load per cell (default 10)")
    p.add_argument("--concurrency", default="1,8,64", help="comma list (default 1,8,64)")
    p.add_argument("--rows", default="1,100", help="rows per request body, comma list (default 1,100)")
    p.add_argument("--models", default="lr,lgbm,automl", help="comma list of lr, lgbm, automl")
    p.add_argument("--automl-seconds", type=float, default=60, help="AutoML budget for the automl model (default 60)")
    p.add_argument("--servers", default="hello,modelyard,mlflow", help="comma list of hello, modelyard, mlflow")
    p.add_argument("--endpoint-url", help="also load this loopback URL (e.g. a modelyard endpoint's score URL)")
    p.add_argument("--key", default=os.environ.get("MODELYARD_ENDPOINT_KEY"), help="Bearer key for --endpoint-url")
    p.add_argument("--endpoint-model", default="lr", help="which model the endpoint serves (for the ratios)")
    p.add_argument("--json", type=Path, help="write the results as JSON here")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (models, server logs)")
    p.add_argument("--router-hop", action="store_true",
                   help="only compare the bare scoring process with the key route through a workspace server "
                        "(--endpoint-model, single-row, the first --concurrency), both pinned to --core")
    p.add_argument("--core", type=int, default=0, help="the core the servers are pinned to (--router-hop; default 0)")
    p.add_argument("--load-core", type=int, default=None,
                   help="the core wrk is pinned to (--router-hop; default: the last core when there are two or more)")
    args = p.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    if args.endpoint_url:
        require_loopback(args.endpoint_url)
    concurrency = [int(c) for c in args.concurrency.split(",")]
    rows_list = [int(r) for r in args.rows.split(",")]
    models = [m for m in args.models.split(",") if m]
    servers = [s for s in args.servers.split(",") if s]

    work = Path(tempfile.mkdtemp(prefix="modelyard-bench-serving-"))
    if args.router_hop:
        models = [args.endpoint_model]
        try:
            paths, records = train_models(work, args.automl_seconds if "automl" in models else None)
            load_core = args.load_core if args.load_core is not None else (
                (os.cpu_count() or 1) - 1 if (os.cpu_count() or 1) > 1 else None)
            result = router_hop(paths[args.endpoint_model], records, work, server_env(), args.duration,
                                concurrency[0] if args.concurrency != "1,8,64" else 8, args.core, load_core)
            if args.json:
                args.json.write_text(json.dumps(result, indent=1))
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        return 0
    print(f"training the models ({', '.join(models)}) in {work} ...", flush=True)
    paths, records = train_models(work, args.automl_seconds if "automl" in models else None)
    bodies: dict[tuple[str, int], Path] = {}
    for rows in rows_list:
        chunk = records[:rows]
        for shape, payload in (("data", {"data": chunk}), ("mlflow", {"dataframe_records": chunk})):
            path = work / f"body-{shape}-{rows}.json"
            path.write_bytes(json.dumps(payload).encode())
            bodies[(shape, rows)] = path
    env = server_env()
    results: list[dict] = []
    started: list[Server] = []

    def measure(model: str, server: str, url: str, shape: str, key: str | None = None) -> None:
        for rows in rows_list:
            for c in concurrency:
                r = run_wrk(url, bodies[(shape, rows)], c, args.duration, key)
                r.update(model=model, server=server, rows=rows, c=c)
                results.append(r)
                print(f"  {model:5} {server:10} rows={rows:<4} c={c:<3} {r['rps']:>10.1f} req/s  "
                      f"p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  errors {r['non_2xx'] + r['socket_errors']}",
                      flush=True)

    try:
        if "hello" in servers:
            hello = start_hello(work, env)
            started.append(hello)
            measure("-", "hello", hello.url, "data")
            hello.stop()
        for model in models:
            check = json.dumps({"data": records[:100]}).encode()
            answers = {}
            for server in ("modelyard", "mlflow"):
                if server not in servers:
                    continue
                s = start_modelyard(paths[model], work, env) if server == "modelyard" else start_mlflow(paths[model], work, env)
                started.append(s)
                body = check if server == "modelyard" else json.dumps({"dataframe_records": records[:100]}).encode()
                status, answer = post(s.url, body)
                if status != 200:
                    sys.exit(f"{s.name} answered {status}: {answer}")
                answers[server] = predictions(answer)
                measure(model, server, s.url, "data" if server == "modelyard" else "mlflow")
                s.stop()
            if len(answers) == 2 and answers["modelyard"] != answers["mlflow"]:
                sys.exit(f"{model}: modelyard and mlflow disagree on the same 100 rows")
        if args.endpoint_url:
            status, answer = post(args.endpoint_url, json.dumps({"data": records[:1]}).encode(), args.key)
            if status != 200:
                sys.exit(f"{args.endpoint_url} answered {status}: {answer}")
            measure(args.endpoint_model, "endpoint", args.endpoint_url, "data", args.key)
    finally:
        for s in started:
            s.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"wrk, {args.duration} s per cell, loopback, {os.cpu_count()} CPUs shared by wrk and the server; "
          f"one server process each")
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
