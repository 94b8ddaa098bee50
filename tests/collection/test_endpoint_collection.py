"""Data collection at an online endpoint, against the real server and its scoring processes."""

from __future__ import annotations

import json
import os
import re
import signal
from pathlib import Path

import httpx

from collection.conftest import COLLECT_BOTH, score, wait_until
from workshop_rows import WORKSHOP_ROW

FAST = {**COLLECT_BOTH, "flush_seconds": 0.2}
NEVER = 3600  # flush_seconds: nothing is written before the scoring process stops


def status(served, endpoint):
    return served.ws.online_endpoints.data_collection(endpoint, "blue")


def test_collected_rows_carry_the_correlation_id_returned_in_the_header(served):
    url = served.deploy("collect-ids", FAST)
    older = {**WORKSHOP_ROW, "Age": 58}
    answers = [score(url) for _ in range(3)]
    answers.append(score(url, [WORKSHOP_ROW, older]))
    answers.append(score(url, **{"x-request-id": "caller-id-7"}))
    refused = httpx.post(url, json={"data": [{"Age": "forty"}]})
    assert refused.status_code == 400  # not answered with a prediction: not collected
    ids = [a.headers["x-request-id"] for a in answers]
    assert ids[-1] == "caller-id-7" and len(set(ids)) == 5

    wait_until(lambda: status(served, "collect-ids").rows == {"model_inputs": 6, "model_outputs": 6}, "6 rows")
    inputs = served.service().read_named("azureml:collect-ids-blue-model_inputs@latest")
    outputs = served.service().read("collect-ids", "blue", "model_outputs")
    assert inputs.skipped_files == [] and outputs.skipped_files == []
    rows = inputs.table.to_pylist()
    assert sorted(r["correlationid"] for r in rows) == sorted(ids + [ids[3]])
    assert [r["Age"] for r in rows if r["correlationid"] == ids[3]] == [41, 58]
    assert all(r["timestamp"] is not None and r["JobRole"] == "Sales Executive" for r in rows)
    predictions = {}
    for row in outputs.table.to_pylist():
        predictions.setdefault(row["correlationid"], []).append(row["prediction"])
    assert predictions == {i: a.json()["result"] for i, a in zip(ids, answers)}

    preview = served.ws.online_endpoints.collected_data("collect-ids", "blue", "model_outputs", rows=2)
    assert preview["row_count"] == 6 and preview["skipped_files"] == [] and len(preview["rows"]) == 2
    assert preview["columns"] == ["correlationid", "timestamp", "prediction"]
    assert preview["rows"][-1]["correlationid"] == "caller-id-7"

    path = status(served, "collect-ids").path
    assert path.endswith("collected/collect-ids/blue")
    files = list(Path(path.removeprefix("file://")).glob("model_inputs/*/*/*/*/*.parquet"))
    assert files and all(re.search(r"model_inputs/\d{4}/\d\d/\d\d/\d\d/[^/]+\.parquet$", str(f)) for f in files)


def test_the_sampling_rate_is_honoured(served):
    url = served.deploy("collect-sampled", {**FAST, "sampling_rate": 0.3})
    ids = {score(url).headers["x-request-id"] for _ in range(300)}
    wait_until(lambda: status(served, "collect-sampled").files > 0, "a collected file")
    served.stop("collect-sampled")  # a graceful stop writes what is buffered
    collected = served.service().read("collect-sampled", "blue", "model_inputs").table
    kept = set(collected.column("correlationid").to_pylist())
    assert kept <= ids and collected.num_rows == len(kept)
    # 300 draws at 0.3: mean 90, standard deviation 7.9; 5 deviations either side
    assert 50 <= len(kept) <= 130, len(kept)


def test_a_graceful_restart_of_the_scoring_process_loses_nothing_answered(served):
    url = served.deploy("collect-restart", {**COLLECT_BOTH, "flush_seconds": NEVER})
    before = [score(url).headers["x-request-id"] for _ in range(20)]
    deployment = served.ws.online_endpoints.get_deployment("collect-restart", "blue")
    pid = deployment.instances[0].pid
    assert status(served, "collect-restart").rows["model_inputs"] == 0  # all of it still in the buffer
    os.kill(pid, signal.SIGTERM)

    def restarted():
        instance = served.ws.online_endpoints.get_deployment("collect-restart", "blue").instances[0]
        return instance.pid != pid and instance.state == "Ready"

    wait_until(restarted, "the scoring process to come back")
    assert status(served, "collect-restart").rows == {"model_inputs": 20, "model_outputs": 20}
    after = [score(url).headers["x-request-id"] for _ in range(10)]
    served.stop("collect-restart")
    for collection in ("model_inputs", "model_outputs"):
        table = served.service().read("collect-restart", "blue", collection).table
        assert sorted(table.column("correlationid").to_pylist()) == sorted(before + after)


def test_a_full_buffer_drops_and_counts_and_scoring_goes_on(served):
    url = served.deploy("collect-full", {**COLLECT_BOTH, "buffer_rows": 5, "flush_seconds": NEVER})
    ids = [score(url).headers["x-request-id"] for _ in range(12)]
    assert wait_until(lambda: status(served, "collect-full").dropped_rows == 7, "7 dropped rows")
    pid = served.ws.online_endpoints.get_deployment("collect-full", "blue").instances[0].pid
    record = json.loads((served.root / ".modelyard" / "run" / "scoring" / f"{pid}.json").read_text())
    with httpx.Client(transport=httpx.HTTPTransport(uds=record["socket"])) as scoring:
        metrics = scoring.get("http://scoring/metrics").text
    assert 'modelyard_collection_dropped_rows_total{deployment="collect-full/blue"} 7' in metrics
    assert 'modelyard_collection_buffered_rows{deployment="collect-full/blue"} 5' in metrics
    served.stop("collect-full")
    table = served.service().read("collect-full", "blue", "model_inputs").table
    assert table.column("correlationid").to_pylist() == ids[:5]  # the first five, answered before it filled


def test_collection_turned_on_by_an_update(served):
    url = served.deploy("collect-later")
    score(url)
    served.ws.online_endpoints.update_deployment("collect-later", "blue", data_collector=FAST)
    assert served.ws.online_endpoints.get_deployment("collect-later", "blue").data_collector.enabled == [
        "model_inputs", "model_outputs"]
    later = score(url).headers["x-request-id"]
    wait_until(lambda: status(served, "collect-later").rows["model_outputs"] == 1, "the row after the update")
    table = served.service().read_named("collect-later-blue-model_outputs").table
    assert table.column("correlationid").to_pylist() == [later]
    served.stop("collect-later")


def test_a_scoring_script_has_its_request_and_answer_collected_as_text(served, tmp_path):
    (tmp_path / "score.py").write_text("import json\n\n\ndef run(raw_data):\n"
                                       "    return {'age': json.loads(raw_data)['data'][0]['Age']}\n")
    url = served.deploy("collect-script", FAST, code_configuration={"code": str(tmp_path),
                                                                    "scoring_script": "score.py"})
    answer = score(url)
    assert answer.json() == {"age": 41}
    wait_until(lambda: status(served, "collect-script").rows["model_outputs"] == 1, "the script's row")
    inputs = served.service().read("collect-script", "blue", "model_inputs").table.to_pylist()
    outputs = served.service().read("collect-script", "blue", "model_outputs").table.to_pylist()
    assert [json.loads(r["data"])["data"][0]["Age"] for r in inputs] == [41]
    assert [(r["correlationid"], json.loads(r["result"])) for r in outputs] == [
        (answer.headers["x-request-id"], {"age": 41})]
    served.stop("collect-script")


def test_collection_off_writes_nothing(served):
    off = served.deploy("collect-off")
    disabled = served.deploy("collect-disabled", {"collections": {"model_inputs": {"enabled": False}},
                                                  "flush_seconds": 0.2})
    for url in (off, disabled):
        assert all(score(url).headers["x-request-id"] for _ in range(5))  # the header is always answered
    for endpoint in ("collect-off", "collect-disabled"):
        state = status(served, endpoint)
        assert state.collections == [] and state.rows == {"model_inputs": 0, "model_outputs": 0}
        served.stop(endpoint)
        assert not Path(state.path.removeprefix("file://")).exists()
