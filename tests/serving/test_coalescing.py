"""Requests that queue up in the workspace server reach a scoring process together (``POST /score-many``),
and each still gets its own answer: a bad one fails alone, the good ones around it are scored."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from modelyard.api._lanes import ScoringLanes
from modelyard.api._upstream import ConnectionPool
from modelyard.serving._frames import CONTENT_TYPE, frame_requests, read_answers, read_requests
from tests.serving.conftest import ScoringProcess


@pytest.fixture(scope="module")
def lr_process(models_dir):
    p = ScoringProcess(["--model-dir", str(models_dir["lr_skops"]), "--name", "coalesced"])
    yield p
    p.stop()


@pytest.fixture(scope="module")
def rows(hr_data) -> tuple[list[dict], list]:
    X, _, _ = hr_data
    from modelyard.serving import load_model

    return json.loads(X.head(12).to_json(orient="records")), X.head(12)


def body(record: dict) -> bytes:
    return json.dumps({"data": [record]}).encode()


def test_frames_round_trip_and_bad_frames_are_named():
    requests = [(b"", b'{"data": []}'), (b"method=predict_proba", b"\n 1 2\n")]
    assert read_requests(frame_requests(requests)) == requests
    for bad, words in ((b"3 4\nabc", "runs past the end"), (b"x y\n", "not two numbers"), (b"12", "not two numbers")):
        with pytest.raises(ValueError, match=words):
            read_requests(bad)


def test_score_many_answers_each_request_on_its_own(lr_process, rows, models_dir):
    records, frame = rows
    from modelyard.serving import load_model

    model = load_model(str(models_dir["lr_skops"]), compile=False).model
    nan = dict(records[2], Age=None, DailyRate="NaN")
    requests = [(b"", body(records[0])), (b"method=predict_proba", body(records[1])), (b"", body(nan)),
                (b"", b"{not json"), (b"", body(records[3]))]
    answer = lr_process.client.post("/score-many", content=frame_requests(requests))
    assert answer.status_code == 200 and answer.headers["content-type"] == CONTENT_TYPE.decode()
    answers = read_answers(answer.content)
    assert [status for status, _ in answers] == [200, 200, 400, 400, 200]
    assert json.loads(answers[0][1])["result"] == model.predict(frame.iloc[[0]]).tolist()
    proba = json.loads(answers[1][1])
    assert proba["result"][0] == pytest.approx(model.predict_proba(frame.iloc[[1]])[0].tolist())
    assert "column 'Age', row 0" in json.loads(answers[2][1])["error"]
    assert json.loads(answers[4][1])["result"] == model.predict(frame.iloc[[3]]).tolist()
    metrics = lr_process.client.get("/metrics").text
    assert 'route="/score",status="200"} 3' in metrics and 'route="/score",status="400"} 2' in metrics

    broken = lr_process.client.post("/score-many", content=b"5 5\nabc")
    assert broken.status_code == 400 and "runs past the end" in broken.json()["error"]


def test_requests_of_one_message_past_max_concurrent_are_429_each(models_dir, rows):
    records, _ = rows
    process = ScoringProcess(["--model-dir", str(models_dir["lr_skops"]), "--max-concurrent", "2"])
    try:
        answer = process.client.post("/score-many", content=frame_requests([(b"", body(r)) for r in records[:4]]))
        statuses = [status for status, _ in read_answers(answer.content)]
        assert statuses == [200, 200, 429, 429], "the first two are scored, the rest refused on their own"
        after = process.client.post("/score-many", content=frame_requests([(b"", body(r)) for r in records[:2]]))
        assert [status for status, _ in read_answers(after.content)] == [200, 200], "none stayed in flight"
        assert 'route="/score",status="429"} 2' in process.client.get("/metrics").text
    finally:
        process.stop()


def test_requests_that_arrive_together_go_in_one_message(tmp_path: Path, models_dir, rows):
    records, frame = rows
    socket_path = str(tmp_path / "scoring.sock")
    log = open(tmp_path / "scoring.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "modelyard.serving", "--model-dir", str(models_dir["lr_skops"]),
                                "--uds", socket_path], stdout=log, stderr=subprocess.STDOUT)

    async def scenario() -> tuple[list, ScoringLanes]:
        pool = ConnectionPool()
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "scoring.log").read_text()
            try:
                if (await pool.request(socket_path, b"GET", b"/ready", b""))[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the scoring process was not ready in 60 s"
            await asyncio.sleep(0.1)
        lanes = ScoringLanes(pool)
        bodies = [body(r) for r in records[:10]]
        bodies[6] = b'{"data": [{"Age": "forty"}]}'
        answers = await asyncio.gather(*(lanes.score(socket_path, b"", b) for b in bodies))
        alone = await lanes.score(socket_path, b"method=predict_proba", bodies[0])
        assert alone[0] == 200 and len(json.loads(alone[2])["result"][0]) == 2
        await pool.close()
        return answers, lanes

    try:
        # in a thread of its own: a browser test earlier on this xdist worker may leave an event loop running here
        with ThreadPoolExecutor(1) as thread:
            answers, lanes = thread.submit(asyncio.run, scenario()).result()
    finally:
        process.terminate()
        process.wait(10)
        log.close()
    assert (lanes.batches, lanes.coalesced) == (1, 10), "the request that came alone went alone"
    from modelyard.serving import load_model

    expected = load_model(str(models_dir["lr_skops"]), compile=False).model.predict(frame.head(10)).tolist()
    for i, (status, content_type, content) in enumerate(answers):
        if i == 6:
            assert status == 400 and "Age" in json.loads(content)["error"]
        else:
            assert (status, content_type) == (200, b"application/json")
            assert json.loads(content)["result"] == [expected[i]]
