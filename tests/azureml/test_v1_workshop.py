"""The workshop's v1 notebooks, call for call, with one changed import line, against a real server:
train with scikit-learn + log + register; a script submitted as a job; AutoML with get_output;
deploy the model as a web service, call it, read its keys and logs."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import httpx
import pytest

from server_fixtures import workspace_server

AUTOML_TIMEOUT_S = 600  # a hang guard: a loaded machine may take this long
SCORE = '''
import json

import joblib
import pandas as pd

from modelyard.azureml.core.model import Model


def init():
    global model
    model = joblib.load(Model.get_model_path("attrition-v1"))


def run(raw_data):
    rows = pd.DataFrame(json.loads(raw_data)["data"])
    return {"predictions": model.predict(rows).tolist()}
'''
TRAIN = '''
import argparse

from modelyard.azureml.core import Dataset, Run

parser = argparse.ArgumentParser()
parser.add_argument("--reg", type=float)
args = parser.parse_args()
run = Run.get_context()
rows = Dataset.get_by_name(run.experiment.workspace, "employeeattrition").to_pandas_dataframe()
run.log("rows", len(rows))
run.log("regularization", args.reg)
run.log_list("losses", [0.9, 0.5, 0.25])
run.complete()
'''
FEATURES = ["Age", "DistanceFromHome", "MonthlyIncome", "TotalWorkingYears", "YearsAtCompany"]


@pytest.fixture(scope="module")
def v1(tmp_path_factory, hr_csv):
    """(root, v1 Workspace from_config, the registered attrition dataset)."""
    from modelyard.azureml.core import Dataset, Workspace

    root = tmp_path_factory.mktemp("azureml") / "ws"
    with workspace_server(root, "azureml") as (_, sdk):
        ws = Workspace.from_config(path=root)
        dataset = Dataset.Tabular.from_delimited_files(path=str(hr_csv))
        dataset = dataset.register(workspace=ws, name="employeeattrition", description="IBM HR attrition")
        yield root, ws, dataset
        ws.sdk.close()


def _registered_model(ws, dataset, folder: Path):
    """A logistic regression on FEATURES registered as 'attrition-v1' from a local pickle (v1's Model.register)."""
    import joblib
    from sklearn.linear_model import LogisticRegression

    from modelyard.azureml.core import Model

    frame = dataset.to_pandas_dataframe()
    joblib.dump(LogisticRegression(max_iter=1000).fit(frame[FEATURES], frame["Attrition"]), folder / "model.pkl")
    return Model.register(workspace=ws, model_path=str(folder / "model.pkl"), model_name="attrition-v1")


def test_the_workspace_from_cloud_identifiers_is_the_local_one(v1, monkeypatch):
    from modelyard.azureml import V1ArgumentWarning
    from modelyard.azureml.core import Datastore, InteractiveLoginAuthentication, Workspace

    root, _, _ = v1
    monkeypatch.chdir(root)
    ws = Workspace(subscription_id="1234-abcd", resource_group="aml-rg", workspace_name="azureml",
                   auth=InteractiveLoginAuthentication(tenant_id="tenant"))
    assert (ws.name, ws.subscription_id, ws.resource_group) == ("azureml", "1234-abcd", "aml-rg")
    assert Workspace.from_config().get_details()["path"] == str(root)
    assert ws.get_default_datastore().name == Datastore.get(ws, "workspaceblobstore").name == "workspaceblobstore"
    assert "employeeattrition" in ws.datasets
    with pytest.warns(V1ArgumentWarning, match="workspace_name='aml-ws' is not honoured.*'azureml', is used"):
        assert Workspace("1234-abcd", "aml-rg", "aml-ws").name == "azureml"


def test_train_log_and_register_from_a_notebook(v1, tmp_path, monkeypatch):
    import joblib
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from modelyard.azureml.core import VERSION, Dataset, Experiment, Model

    _, ws, _ = v1
    assert VERSION.startswith("1.")
    frame = Dataset.get_by_name(ws, name="employeeattrition").to_pandas_dataframe()
    assert frame.shape == (1470, 35)
    train, test = Dataset.get_by_name(ws, "employeeattrition").random_split(percentage=0.8, seed=1)
    train_df, test_df = train.to_pandas_dataframe(), test.to_pandas_dataframe()
    assert len(train_df) + len(test_df) == 1470 and set(train_df.index).isdisjoint(test_df.index)

    experiment = Experiment(workspace=ws, name="train-sklearn")
    run = experiment.start_logging()
    model = LogisticRegression(max_iter=1000).fit(train_df[FEATURES], train_df["Attrition"])
    auc = roc_auc_score(test_df["Attrition"], model.predict_proba(test_df[FEATURES])[:, 1])
    run.log("AUC", auc)
    run.log("alpha", 0.1)
    run.log("alpha", 0.2)
    run.log_list("losses", [3.0, 2.0, 1.0])
    run.log_table("confusion", {"actual": [0, 1], "predicted": [1, 0]})
    local = tmp_path / "model.pkl"
    joblib.dump(model, local)
    run.upload_file(name="outputs/model.pkl", path_or_stream=str(local))
    assert run.get_status() == "Running"
    assert ws.sdk.jobs.get(run.id).type == "interactive"  # listed with the jobs, as in Azure
    run.complete()
    assert run.get_status() == "Completed"
    job = ws.sdk.jobs.get(run.id)
    assert (job.status, job.experiment_name, job.mlflow_run_id) == ("Completed", "train-sklearn", run.mlflow_run_id)
    assert job.metrics["AUC"] == pytest.approx(auc)

    assert "outputs/model.pkl" in run.get_file_names()
    metrics = run.get_metrics()
    assert metrics["AUC"] == pytest.approx(auc) and metrics["alpha"] == [0.1, 0.2]
    assert metrics["losses"] == [3.0, 2.0, 1.0] and metrics["confusion"] == {"actual": [0, 1], "predicted": [1, 0]}
    copy = run.download_file("outputs/model.pkl", output_file_path=str(tmp_path / "copy.pkl"))
    assert Path(copy).read_bytes() == local.read_bytes()

    registered = run.register_model(model_name="attrition-v1", model_path="outputs/model.pkl",
                                    tags={"area": "hr", "type": "logistic"},
                                    model_framework=Model.Framework.SCIKITLEARN)
    assert (registered.name, registered.version, registered.tags["area"]) == ("attrition-v1", 1, "hr")
    assert registered.run_id == run.mlflow_run_id and registered.model_framework == "ScikitLearn"
    latest = Model(ws, "attrition-v1")
    assert latest.id == "attrition-v1:1" and "attrition-v1" in ws.models
    again = Model.register(workspace=ws, model_path=str(local), model_name="attrition-local", description="local")
    assert again.version == 1 and again.description == "local"
    monkeypatch.chdir(tmp_path)  # v1 downloads into ./azureml-models/<name>/<version>/
    path = Model.get_model_path("attrition-v1", _workspace=ws)
    assert Path(path) == Path("azureml-models/attrition-v1/1/model.pkl")
    loaded = joblib.load(path)
    assert loaded.predict(test_df[FEATURES].head(3)).tolist() == model.predict(test_df[FEATURES].head(3)).tolist()


def test_a_script_and_an_estimator_submitted_as_jobs(v1, tmp_path, capsys):
    from modelyard.azureml.core import Experiment, ScriptRunConfig
    from modelyard.azureml.core.compute import AmlCompute, ComputeTarget
    from modelyard.azureml.core.compute_target import ComputeTargetException
    from modelyard.azureml.train.estimator import Estimator
    from modelyard.azureml.widgets import RunDetails

    _, ws, _ = v1
    (tmp_path / "train.py").write_text(TRAIN)
    try:
        cluster = ComputeTarget(workspace=ws, name="cpu-cluster")
    except ComputeTargetException:
        config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=2)
        with pytest.warns(UserWarning, match="size"):
            cluster = ComputeTarget.create(ws, "cpu-cluster", config)
    cluster.wait_for_completion(show_output=True)
    assert cluster.type == "AmlCompute" and "cpu-cluster" in ws.compute_targets

    experiment = Experiment(ws, "train-script")
    config = ScriptRunConfig(source_directory=str(tmp_path), script="train.py", arguments=["--reg", 0.5],
                             compute_target=cluster)
    run = experiment.submit(config)
    RunDetails(run).show()
    assert capsys.readouterr().out.splitlines()[-1].startswith(f"{run.id}: Completed")
    details = run.wait_for_completion(show_output=True)
    assert details["status"] == "Completed" and details["target"] == "cpu-cluster"
    assert run.get_metrics() == {"rows": 1470, "regularization": 0.5, "losses": [0.9, 0.5, 0.25]}

    estimator = Estimator(source_directory=str(tmp_path), entry_script="train.py", script_params={"--reg": 0.01},
                          compute_target="local")
    run = experiment.submit(estimator)
    run.wait_for_completion()
    assert run.get_metrics("regularization") == {"regularization": 0.01}
    assert len(list(experiment.get_runs())) == 2


def test_automl_get_output_and_children(v1):
    from modelyard.azureml import V1ArgumentWarning
    from modelyard.azureml.core import ComputeTarget, Dataset, Experiment
    from modelyard.azureml.core.compute import AmlCompute
    from modelyard.azureml.train.automl import AutoMLConfig

    _, ws, _ = v1
    dataset = Dataset.get_by_name(ws, "employeeattrition")
    cluster = ComputeTarget.create(ws, "automl-cluster", AmlCompute.provisioning_configuration(max_nodes=2))
    with pytest.warns(V1ArgumentWarning, match="enable_onnx_compatible_models"):
        # ends by iterations on a quiet machine; a loaded one has three minutes to finish two
        config = AutoMLConfig(task="classification", primary_metric="AUC_weighted", experiment_timeout_minutes=3,
                              iterations=4, training_data=dataset, label_column_name="Attrition", n_cross_validations=3,
                              max_concurrent_iterations=2, compute_target=cluster,
                              enable_onnx_compatible_models=True)
    run = Experiment(ws, "automl-v1").submit(config, show_output=True)
    best_run, fitted_model = run.get_output()
    assert run.get_status() == "Completed"
    children = run.get_children()
    assert len(children) >= 2 and best_run.id in {child.id for child in children}
    metrics = best_run.get_metrics()
    assert 0.6 < metrics["AUC_weighted"] <= 1
    rows = dataset.to_pandas_dataframe().drop(columns=["Attrition"]).head(5)
    assert set(fitted_model.predict(rows)) <= {"Yes", "No"}


def test_deploy_call_and_delete_a_web_service(v1, tmp_path):
    from modelyard.azureml.core import Environment, Model
    from modelyard.azureml.core.model import InferenceConfig
    from modelyard.azureml.core.webservice import AciWebservice, Webservice, WebserviceException

    _, ws, dataset = v1
    source = tmp_path / "service"
    source.mkdir()
    (source / "score.py").write_text(SCORE)
    model = _registered_model(ws, dataset, tmp_path)
    inference_config = InferenceConfig(entry_script="score.py", source_directory=str(source),
                                       environment=Environment.get(ws, "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu"))
    deployment_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1, auth_enabled=True,
                                                           tags={"data": "attrition"})
    service = Model.deploy(ws, "attrition-service", [model], inference_config, deployment_config)
    service.wait_for_deployment(show_output=True)
    assert service.state == "Healthy"

    rows = dataset.to_pandas_dataframe()[FEATURES].head(3).to_dict(orient="records")
    answer = service.run(input_data=json.dumps({"data": rows}))
    assert len(answer["predictions"]) == 3 and set(answer["predictions"]) <= {"Yes", "No"}

    primary, secondary = service.get_keys()
    assert primary and secondary and primary != secondary
    found = Webservice(workspace=ws, name="attrition-service")
    assert found.tags["cpu_cores"] == "1" and found.tags["memory_gb"] == "1" and found.auth_enabled
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {primary}"}
    direct = httpx.post(found.scoring_uri, content=json.dumps({"data": rows}), headers=headers, timeout=60)
    assert direct.status_code == 200 and direct.json() == answer
    assert httpx.post(found.scoring_uri, json={"data": rows}, timeout=60).status_code == 401
    assert isinstance(service.get_logs(), str)

    service.delete()
    with pytest.raises(WebserviceException, match="attrition-service not found"):
        Webservice(ws, "attrition-service")


def test_a_failing_entry_script_surfaces_with_its_logs(v1, tmp_path):
    from modelyard.azureml.core import Model
    from modelyard.azureml.core.model import InferenceConfig
    from modelyard.azureml.core.webservice import AciWebservice, WebserviceException

    _, ws, dataset = v1
    model = _registered_model(ws, dataset, tmp_path)
    (tmp_path / "broken.py").write_text("def init():\n    raise RuntimeError('no model here on purpose')\n"
                                       "def run(raw_data):\n    return raw_data\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing here is an unhonoured argument
        service = Model.deploy(ws, "broken-service", [model],
                               InferenceConfig(entry_script=str(tmp_path / "broken.py")),
                               AciWebservice.deploy_configuration())
    with pytest.raises(WebserviceException, match="non-successful") as failed:
        service.wait_for_deployment(timeout_sec=120)
    assert "no model here on purpose" in failed.value.message and "get_logs()" in failed.value.message
    with pytest.raises(WebserviceException, match="no keys"):
        service.get_keys()
    with pytest.raises(WebserviceException, match="no tokens"):
        service.get_token()
    service.delete()
