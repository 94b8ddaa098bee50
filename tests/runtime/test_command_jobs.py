"""Command jobs on the local and cluster targets, tracked in MLflow."""

import shutil
import textwrap
import time
from pathlib import Path

import pytest

from modelyard.errors import InvalidInput
from server_fixtures import redirecting_file_server

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 600  # a hang guard under pytest-timeout's 900 s: a loaded machine may take this long


def job(tmp_path: Path, script: str, **fields) -> dict:
    code = tmp_path / "src"
    code.mkdir(exist_ok=True)
    (code / "main.py").write_text(textwrap.dedent(script))
    return {"type": "command", "code": str(code), "command": "python main.py", **fields}


def test_workshop_training_script_runs_on_the_cluster_and_logs_to_mlflow(running):
    root, ws = running
    submitted = ws.jobs.create(REPO / "examples" / "train" / "job.yml")
    assert submitted.status == "Queued" and submitted.compute == "cpucluster"
    done = ws.jobs.wait(submitted.name, timeout=TIMEOUT)
    assert done.status == "Completed", ws.jobs.logs(submitted.name)["text"]
    assert 0.7 < done.metrics["AUC"] <= 1 and 0.7 < done.metrics["Accuracy"] <= 1
    assert done.metrics["Regularization Rate"] == 0.01
    assert done.outputs["model"]["files"] == 1

    import mlflow

    client = mlflow.MlflowClient(tracking_uri=f"sqlite:///{root / '.modelyard' / 'mlflow.db'}")
    experiment = client.get_experiment_by_name("attrition-classification")
    runs = client.search_runs([experiment.experiment_id])
    run = next(r for r in runs if r.info.run_id == done.mlflow_run_id)
    assert run.info.status == "FINISHED" and run.data.metrics["AUC"] == done.metrics["AUC"]
    assert run.data.params["regularization"] == "0.01"
    assert run.data.tags["modelyard.job"] == done.name


def test_outputs_inputs_and_mlflow_logging(running, tmp_path: Path):
    _, ws = running
    spec = job(tmp_path, """
        import sys, mlflow
        from pathlib import Path
        from modelyard import run
        data, out, lr = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
        rows = sum(1 for _ in next(data.rglob("*.csv")).open(encoding="utf-8-sig")) - 1
        mlflow.log_metric("rows", rows)
        for step in range(3):
            run.log("loss", lr / (step + 1))
        (out / "summary.txt").write_text(f"{rows} rows")
        print("finished")
    """, command="python main.py ${{inputs.data}} ${{outputs.summary}} ${{inputs.lr}}",
               inputs={"data": "azureml:employeeattrition:1", "lr": 0.5},
               outputs={"summary": {"type": "uri_folder", "name": "attrition-summary"}})
    done = ws.jobs.wait(ws.jobs.create(spec).name, timeout=TIMEOUT)
    assert done.status == "Completed", ws.jobs.logs(done.name)["text"]
    assert done.metrics == {"rows": 1470.0, "loss": pytest.approx(0.5 / 3)}
    history = ws.jobs.metric_history(done.name)
    assert [p["value"] for p in history["loss"]] == pytest.approx([0.5, 0.25, 0.5 / 3])
    assert "finished" in ws.jobs.logs(done.name)["text"]
    assert done.spec.inputs["data"].path == "data:employeeattrition:1"
    target = ws.jobs.download(done.name, "summary", tmp_path / "dl")
    assert (target / "summary.txt").read_text() == "1470 rows"
    registered = ws.data.get("attrition-summary")
    assert done.outputs["summary"]["data_asset"] == f"attrition-summary:{registered.version}"
    assert registered.tags["job"] == done.name


def test_a_url_input_is_downloaded_unless_it_leads_to_a_private_address(running, tmp_path: Path, hr_csv: Path):
    _, ws = running
    served = tmp_path / "web"
    served.mkdir()
    shutil.copyfile(hr_csv, served / "HR.csv")
    script = """
        import sys
        from pathlib import Path
        print("rows", sum(1 for _ in Path(sys.argv[1]).open(encoding="utf-8-sig")) - 1)
    """
    with redirecting_file_server(served) as url:
        def run_on(path: str):
            spec = job(tmp_path, script, command="python main.py ${{inputs.table}}",
                       inputs={"table": {"type": "uri_file", "path": path}})
            return ws.jobs.wait(ws.jobs.create(spec).name, timeout=TIMEOUT)

        fetched, redirected = run_on(f"{url}/HR.csv"), run_on(f"{url}/metadata.csv")
    assert fetched.status == "Completed", ws.jobs.logs(fetched.name)["text"]
    assert "rows 1470" in ws.jobs.logs(fetched.name)["text"]
    assert redirected.status == "Failed", ws.jobs.logs(redirected.name)["text"]
    assert "input 'table': url: 169.254.169.254 resolves to 169.254.169.254, a private or reserved" in redirected.error
    assert "'data_sources: allowed_networks:'" in redirected.error


def test_run_helper_logs_tables_images_and_params(running, tmp_path: Path):
    root, ws = running
    image = tmp_path / "src" / "roc.png"
    image.parent.mkdir(exist_ok=True)
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    done = ws.jobs.wait(ws.jobs.create(job(tmp_path, """
        from modelyard import run
        run.log_params(solver="liblinear")
        run.log_table("confusion", {"predicted": [0, 1], "count": [10, 3]})
        run.log_image("roc", "roc.png")
        for step in range(2500):
            run.log("curve", step / 2500)
    """)).name, timeout=TIMEOUT)
    assert done.status == "Completed", ws.jobs.logs(done.name)["text"]
    assert list(done.status_history)[:2] == ["Queued", "Preparing"] and "Completed" in done.status_history
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=f"sqlite:///{root / '.modelyard' / 'mlflow.db'}")
    run = client.get_run(done.mlflow_run_id)
    assert run.data.params["solver"] == "liblinear"
    assert len(client.get_metric_history(done.mlflow_run_id, "curve")) == 2500
    artifacts = {a.path for a in client.list_artifacts(done.mlflow_run_id, "tables")} | \
        {a.path for a in client.list_artifacts(done.mlflow_run_id, "images")}
    assert artifacts == {"tables/confusion.json", "images/roc.png"}


def test_failure_names_the_exit_code_and_last_log_lines(running, tmp_path: Path):
    _, ws = running
    done = ws.jobs.wait(ws.jobs.create(job(tmp_path, """
        print("about to fail")
        raise SystemExit("the data is wrong")
    """)).name, timeout=TIMEOUT)
    assert done.status == "Failed"
    assert "exit code 1" in done.error and "the data is wrong" in done.error


def test_timeout_kills_the_job(running, tmp_path: Path):
    _, ws = running
    done = ws.jobs.wait(ws.jobs.create(job(tmp_path, "import time; time.sleep(60)", limits={"timeout": 2})).name,
                        timeout=TIMEOUT)
    assert done.status == "Failed" and "timeout" in done.error
    assert done.duration_seconds < 30


def test_cancel_stops_the_whole_process_tree(running, tmp_path: Path):
    _, ws = running
    marker = tmp_path / "child.pid"
    spec = job(tmp_path, f"""
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        open({str(marker)!r}, "w").write(str(child.pid))
        print("started", flush=True)
        time.sleep(120)
    """)
    name = ws.jobs.create(spec).name
    deadline = time.monotonic() + TIMEOUT
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    ws.jobs.cancel(name)
    done = ws.jobs.wait(name, timeout=60)
    assert done.status == "Canceled"
    child = int(marker.read_text())
    deadline = time.monotonic() + 15
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(child), "the job's child process survived the cancel"


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_environment_build_error_fails_the_job_with_the_reason(running, tmp_path: Path):
    _, ws = running
    done = ws.jobs.wait(ws.jobs.create(job(tmp_path, "print(1)", environment={"python": "3.2"})).name, timeout=TIMEOUT)
    assert done.status == "Failed" and "environment build error" in done.error and "python 3.2" in done.error


def test_virtualenv_environment_is_built_once_and_used(running, tmp_path: Path):
    _, ws = running
    spec = job(tmp_path, "import sys; print('prefix', sys.prefix)", environment={"pip": []})
    first = ws.jobs.wait(ws.jobs.create(spec).name, timeout=TIMEOUT)
    second = ws.jobs.wait(ws.jobs.create(spec).name, timeout=TIMEOUT)
    assert first.status == second.status == "Completed"
    prefix = [line for line in ws.jobs.logs(first.name)["text"].splitlines() if line.startswith("prefix")]
    assert "/.modelyard/envs/" in prefix[0]
    assert "building environment" not in ws.jobs.logs(second.name)["text"]


BAD_JOBS = {
    "unknown field": ({"type": "command", "command": "true", "colour": "red"}, "colour"),
    "wrong type": ({"type": "command", "command": "true", "limits": {"timeout": "soon"}}, "limits.timeout"),
    "missing command": ({"type": "command"}, "command"),
    "unknown compute": ({"type": "command", "command": "true", "compute": "gpu-cluster"}, "gpu-cluster"),
    "unknown data version": ({"type": "command", "command": "cat ${{inputs.d}}",
                              "inputs": {"d": "azureml:employeeattrition:99"}}, "inputs.d"),
    "placeholder naming no input": ({"type": "command", "command": "echo ${{inputs.missing}}"}, "inputs.missing"),
}


@pytest.mark.parametrize("case", sorted(BAD_JOBS))
def test_bad_job_is_refused_before_anything_is_queued(case, running):
    _, ws = running
    before = len(ws.jobs.list(limit=1000))
    document, fragment = BAD_JOBS[case]
    with pytest.raises(InvalidInput, match=fragment.replace(".", r"\.")):
        ws.jobs.create(document)
    assert len(ws.jobs.list(limit=1000)) == before


def test_cluster_runs_two_at_a_time_then_scales_down(running, tmp_path: Path):
    root, ws = running
    log = tmp_path / "spans.txt"
    spec = job(tmp_path, f"""
        import time
        start = time.time(); time.sleep(2)
        open({str(log)!r}, "a").write(f"{{start}} {{time.time()}}\\n")
    """, compute="cpucluster")
    names = [ws.jobs.create(spec).name for _ in range(4)]
    seen_max = 0
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        compute = ws.compute.get("cpucluster")
        seen_max = max(seen_max, compute.instances.current)
        if all(ws.jobs.get(n).status == "Completed" for n in names):
            break
        time.sleep(0.3)
    spans = [tuple(map(float, line.split())) for line in log.read_text().splitlines()]
    assert len(spans) == 4
    overlapping = max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans)
    assert overlapping == 2 and seen_max == 2, (overlapping, seen_max)
    deadline = time.monotonic() + 60
    while ws.compute.get("cpucluster").instances.current and time.monotonic() < deadline:
        time.sleep(0.5)
    assert ws.compute.get("cpucluster").instances.current == 0, "idle instances above min were not scaled down"
