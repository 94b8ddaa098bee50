"""The scoring process over HTTP (``python -m modelyard.serving`` on a free loopback port):
both request contracts, the workshop's two bodies, proba, swagger, metrics, and every bad input
with its status code."""

from __future__ import annotations

import concurrent.futures
import json
import textwrap

import numpy as np
import pytest

from tests.serving.conftest import ScoringProcess

# the workshop's first body: 30 columns
WORKSHOP = {"Age": 41, "BusinessTravel": "Travel_Rarely", "DailyRate": 1102, "Department": "Sales",
            "DistanceFromHome": 1, "Education": 2, "EducationField": "Life Sciences", "EnvironmentSatisfaction": 2,
            "Gender": "Female", "HourlyRate": 94, "JobInvolvement": 3, "JobLevel": 2, "JobRole": "Sales Executive",
            "JobSatisfaction": 4, "MaritalStatus": "Single", "MonthlyIncome": 5993, "MonthlyRate": 19479,
            "NumCompaniesWorked": 8, "OverTime": "Yes", "PercentSalaryHike": 11, "PerformanceRating": 3,
            "RelationshipSatisfaction": 1, "StockOptionLevel": 0, "TotalWorkingYears": 8,
            "TrainingTimesLastYear": 0, "WorkLifeBalance": 1, "YearsAtCompany": 6, "YearsInCurrentRole": 4,
            "YearsSinceLastPromotion": 0, "YearsWithCurrManager": 5}
# the AutoML body: extra columns, and OverTime as a number
AUTOML = {**WORKSHOP, "EmployeeCount": 1, "EmployeeNumber": 1, "Over18": "Y", "StandardHours": 80, "OverTime": 1}


@pytest.fixture(scope="module")
def lr_process(models_dir):
    p = ScoringProcess(["--model-dir", str(models_dir["lr_skops"]), "--name", "attrition-blue",
                        "--max-body-bytes", "200000"])
    yield p
    p.stop()


def test_health_ready_and_the_compiled_path(lr_process):
    assert lr_process.client.get("/health").json() == {"status": "alive"}
    ready = lr_process.client.get("/ready").json()
    assert ready["status"] == "ready"
    assert ready["model"]["compiled"] is True


def test_both_workshop_bodies_are_answered(lr_process, hr_data):
    X, _, _ = hr_data
    from modelyard.serving import load_model

    model = load_model(lr_process.client.get("/ready").json()["model"]["path"], compile=False).model
    r = lr_process.client.post("/score", json={"data": [WORKSHOP]})
    assert r.status_code == 200, r.text
    import pandas as pd

    assert r.json() == {"result": model.predict(pd.DataFrame([WORKSHOP])[list(X.columns)]).tolist()}
    r = lr_process.client.post("/score", json={"data": [AUTOML]})
    assert r.status_code == 200, r.text
    # OverTime 1 is read as the string "1": an unseen category to the one-hot encoder, answered and said
    expected = pd.DataFrame([{**WORKSHOP, "OverTime": "1"}])[list(X.columns)]
    assert r.json() == {"result": model.predict(expected).tolist(), "warnings": [
        {"row": 0, "column": "OverTime", "value": "1", "message": "value never seen in training; treated as unknown"}]}


def test_unseen_categories_are_listed_by_row_and_counted(lr_process):
    before = _unseen_counts(lr_process)
    rows = [WORKSHOP, {**WORKSHOP, "JobRole": "Astronaut", "OverTime": "Maybe"}, WORKSHOP]
    r = lr_process.client.post("/score?proba=true", json={"data": rows})
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["result"]) == 3 and body["classes"] == [0, 1]
    assert [(w["row"], w["column"], w["value"]) for w in body["warnings"]] == [
        (1, "JobRole", "Astronaut"), (1, "OverTime", "Maybe")]
    many = lr_process.client.post("/score", json={"data": [{**WORKSHOP, "OverTime": str(i)} for i in range(150)]})
    listed = many.json()["warnings"]
    assert len(listed) == 101 and listed[-1] == {"message": "50 more values never seen in training are not listed",
                                                 "count": 50}
    after = _unseen_counts(lr_process)
    assert after.get("OverTime", 0) - before.get("OverTime", 0) == 151
    assert after.get("JobRole", 0) - before.get("JobRole", 0) == 1


def _unseen_counts(process) -> dict[str, int]:
    counts = {}
    for line in process.client.get("/metrics").text.splitlines():
        if line.startswith("modelyard_scoring_unseen_values_total{") and "column=" in line:
            counts[line.split('column="')[1].split('"')[0]] = int(line.rsplit(" ", 1)[1])
    return counts


def test_every_request_contract(lr_process, hr_data):
    X, _, _ = hr_data
    head = X.head(3)
    records = json.loads(head.to_json(orient="records"))
    split = json.loads(head.to_json(orient="split", index=False))
    answers = [lr_process.client.post("/score", json=body).json()
               for body in ({"data": records}, {"input_data": records}, {"dataframe_records": records},
                            {"dataframe_split": split}, {"input_data": split})]
    assert all(a == answers[0] for a in answers)
    assert len(answers[0]["result"]) == 3


def test_proba_on_request(lr_process, hr_data):
    X, _, _ = hr_data
    from modelyard.serving import load_model

    model = load_model(lr_process.client.get("/ready").json()["model"]["path"], compile=False).model
    records = json.loads(X.head(5).to_json(orient="records"))
    by_query = lr_process.client.post("/score?proba=true", json={"data": records}).json()
    by_body = lr_process.client.post("/score", json={"data": records, "method": "predict_proba"}).json()
    assert by_query == by_body
    assert by_query["classes"] == [0, 1]
    np.testing.assert_allclose(by_query["result"], model.predict_proba(X.head(5)), atol=1e-6)


def test_many_concurrent_requests_are_batched_and_each_gets_its_own_answer(lr_process, hr_data):
    X, _, _ = hr_data
    from modelyard.serving import load_model

    model = load_model(lr_process.client.get("/ready").json()["model"]["path"], compile=False).model
    records = json.loads(X.head(200).to_json(orient="records"))
    expected = model.predict(X.head(200)).tolist()

    def one(i):
        return lr_process.client.post("/score", json={"data": [records[i]]}).json()["result"][0]

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        got = list(pool.map(one, range(200)))
    assert got == expected


def test_swagger_from_the_signature_and_example(lr_process, hr_data):
    doc = lr_process.client.get("/swagger.json").json()
    assert doc["openapi"].startswith("3.")
    record = doc["components"]["schemas"]["Record"]
    assert record["properties"]["Age"]["type"] == "integer"
    assert record["properties"]["OverTime"]["type"] == "string"
    assert "MonthlyIncome" in record["required"]
    example = doc["paths"]["/score"]["post"]["requestBody"]["content"]["application/json"]["example"]
    assert example["data"][0]["Age"] == int(hr_data[0]["Age"].iloc[0])
    assert doc["info"]["title"] == "attrition-blue"


@pytest.mark.parametrize("content, status, words", [
    (b"{nope", 400, ["malformed JSON"]),
    (b"[1, 2, 3]", 400, ["JSON object"]),
    (b'{"data": []}', 400, ["empty"]),
    (json.dumps({"data": [{**WORKSHOP, "Age": "forty-one"}]}).encode(), 400, ["'Age'", "row 0", "forty-one"]),
    (json.dumps({"data": [WORKSHOP, {**WORKSHOP, "MonthlyIncome": [1]}]}).encode(), 400, ["'MonthlyIncome'", "row 1"]),
    (json.dumps({"data": [{k: v for k, v in WORKSHOP.items() if k != "JobRole"}]}).encode(), 400, ["missing", "'JobRole'"]),
    (json.dumps({"data": "x"}).encode(), 400, ["list"]),
    (json.dumps({"data": [WORKSHOP] * 400}).encode(), 413, ["limit"]),
])
def test_bad_input_status_codes(lr_process, content, status, words):
    r = lr_process.client.post("/score", content=content, headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    for word in words:
        assert word in r.json()["error"]


def test_a_chunked_body_over_the_limit_is_413(lr_process):
    def chunks():
        for _ in range(50):
            yield b" " * 10_000

    r = lr_process.client.post("/score", content=chunks())
    assert r.status_code == 413


def test_metrics(lr_process):
    lr_process.client.post("/score", json={"data": [WORKSHOP]})
    lr_process.client.post("/score", content=b"{")
    text = lr_process.client.get("/metrics").text
    assert 'modelyard_scoring_requests_total{deployment="attrition-blue",route="/score",status="200"}' in text
    assert 'modelyard_scoring_errors_total{deployment="attrition-blue",status="400"}' in text
    assert "modelyard_scoring_request_duration_seconds_bucket" in text
    assert "modelyard_scoring_batch_rows_count" in text
    assert 'compiled="true"' in text


@pytest.mark.parametrize("name", ["lgbm_cloudpickle", "pickle"])
def test_other_formats_over_http(serve, models_dir, hr_data, name):
    X, _, _ = hr_data
    from modelyard.serving import load_model

    model = load_model(models_dir[name], compile=False).model
    p = serve("--model-dir", models_dir[name])
    records = json.loads(X.head(20).to_json(orient="records"))
    assert p.client.post("/score", json={"data": records}).json() == {"result": model.predict(X.head(20)).tolist()}
    assert p.client.post("/score", json={"data": [AUTOML]}).status_code == 200
    proba = p.client.post("/score?proba=1", json={"data": records}).json()["result"]
    np.testing.assert_allclose(proba, model.predict_proba(X.head(20)), atol=1e-6)


SCRIPT = textwrap.dedent("""
    import json, os, time
    import joblib
    import pandas as pd

    model = None

    def init():
        global model
        model = joblib.load(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.pkl"))
        assert os.environ["MODELYARD_MODEL_DIR"] == os.environ["AZUREML_MODEL_DIR"]

    def run(raw_data):
        data = json.loads(raw_data)
        if data.get("boom"):
            raise RuntimeError("secret internal detail /etc/passwd")
        time.sleep(data.get("sleep", 0))
        return model.predict(pd.DataFrame(data["data"])).tolist()
""")


@pytest.fixture
def script_dir(tmp_path):
    code = tmp_path / "code"
    code.mkdir()
    (code / "score.py").write_text(SCRIPT)
    return code


def test_scoring_script_ok_and_raising(serve, models_dir, hr_data, script_dir):
    X, _, _ = hr_data
    p = serve("--model-dir", models_dir["pickle"], "--scoring-script", "score.py", "--code-dir", script_dir)
    records = json.loads(X.head(3).to_json(orient="records"))
    r = p.client.post("/score", json={"data": records})
    assert r.status_code == 200 and len(r.json()["result"]) == 3
    r = p.client.post("/score", json={"boom": True})
    assert r.status_code == 500
    body = r.json()
    assert set(body) == {"error", "error_id"}
    assert "secret" not in r.text and "Traceback" not in r.text
    log = p.output()
    assert body["error_id"] in log and "Traceback" in log and "secret internal detail" in log
    assert p.client.post("/score", content=b"{bad").status_code == 400


def test_request_timeout_is_504(serve, models_dir, script_dir):
    p = serve("--model-dir", models_dir["pickle"], "--scoring-script", script_dir / "score.py",
              "--request-timeout-ms", "300")
    r = p.client.post("/score", json={"data": [WORKSHOP], "sleep": 2})
    assert r.status_code == 504
    assert "300 ms" in r.json()["error"]


def test_too_many_concurrent_requests_is_429(serve, models_dir, script_dir):
    p = serve("--model-dir", models_dir["pickle"], "--scoring-script", script_dir / "score.py",
              "--max-concurrent", "2")

    def slow(_):
        return p.client.post("/score", json={"data": [WORKSHOP], "sleep": 1.5}).status_code

    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        codes = sorted(pool.map(slow, range(5)))
    assert 429 in codes and 200 in codes, codes  # at most 2 in flight: of 5 at once, 3 refused


def test_a_model_that_cannot_load_exits_4_unusable(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(RuntimeError, match="exited 4"):
        ScoringProcess(["--model-dir", str(tmp_path / "empty")])
