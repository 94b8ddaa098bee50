"""``modelyard model compare``: two registered versions scored on held-out data with AutoML's metrics."""

from __future__ import annotations

import joblib
import pytest

from server_fixtures import run_cli

from .conftest import HOLDOUT_ROWS

FEW = ["Age", "DistanceFromHome", "YearsAtCompany"]


@pytest.fixture(scope="module")
def versions(release_server, hr_csv, tmp_path_factory):
    """attrition-cmp:1 on three columns, attrition-cmp:2 on every numeric column (better), both pickles."""
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    _, ws = release_server
    frame = pd.read_csv(hr_csv, encoding="utf-8-sig").iloc[:-HOLDOUT_ROWS]
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    folder, models = tmp_path_factory.mktemp("cmp"), {}
    for version, columns in ((1, FEW), (2, numeric)):
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        model.fit(frame[columns], frame["Attrition"])
        (folder / str(version)).mkdir()
        joblib.dump(model, folder / str(version) / "model.pkl")
        ws.models.create(name="attrition-cmp", path=str(folder / str(version) / "model.pkl"))
        models[version] = (model, columns)
    return models, numeric


def test_the_better_challenger_passes_with_the_auc_scikit_learn_gives(release_server, versions, hr_csv):
    import pandas as pd
    from sklearn.metrics import roc_auc_score

    _, ws = release_server
    models, _ = versions
    result = ws.models.compare("attrition-cmp:2", "attrition-cmp:1", data="attrition-holdout",
                               metric="AUC_weighted", target="Attrition")
    assert result.passed and result.rows == HOLDOUT_ROWS and result.data == "attrition-holdout:1"
    holdout = pd.read_csv(hr_csv, encoding="utf-8-sig").iloc[-HOLDOUT_ROWS:]
    truth = holdout["Attrition"] == "Yes"
    expected = {v: roc_auc_score(truth, m.predict_proba(holdout[columns])[:, list(m.classes_).index("Yes")])
                for v, (m, columns) in models.items()}
    assert result.challenger.value == pytest.approx(expected[2]) and result.champion.value == pytest.approx(expected[1])
    assert result.gain == pytest.approx(expected[2] - expected[1]) and result.gain > 0.02


def test_the_cli_prints_both_metrics_and_exits_1_when_the_challenger_is_worse(release_server, versions, tmp_path):
    url, _ = release_server
    env = {"MODELYARD_URL": url}
    worse = run_cli("model", "compare", "attrition-cmp:1", "attrition-cmp:2", "--data", "attrition-holdout:1",
                    "--metric", "AUC_weighted", "--target", "Attrition", cwd=tmp_path, env=env)
    assert worse.returncode == 1, worse.stderr
    assert "challenger attrition-cmp:1:" in worse.stdout and "champion   attrition-cmp:2:" in worse.stdout
    assert "gain -" in worse.stdout and "is worse than champion attrition-cmp:2" in worse.stderr
    better = run_cli("model", "compare", "attrition-cmp:2", "attrition-cmp:1", "--data", "attrition-holdout",
                     "--metric", "log_loss", "--min-gain", "0.01", "--target", "Attrition", cwd=tmp_path, env=env)
    assert better.returncode == 0, better.stderr
    assert "passes" in better.stdout


def test_for_a_lower_is_better_metric_a_drop_is_the_gain(release_server, versions):
    _, ws = release_server
    result = ws.models.compare("attrition-cmp:2", "attrition-cmp:1", data="attrition-holdout", metric="log_loss",
                               target="Attrition")
    assert not result.greater_is_better and result.challenger.value < result.champion.value
    assert result.gain == pytest.approx(result.champion.value - result.challenger.value) and result.passed


def test_a_min_gain_the_challenger_does_not_reach_fails(release_server, versions):
    _, ws = release_server
    result = ws.models.compare("attrition-cmp:2", "attrition-cmp:1", data="attrition-holdout", min_gain=0.5,
                               target="Attrition")
    assert not result.passed and 0 < result.gain < 0.5


@pytest.mark.parametrize(("change", "message"), [
    ({"metric": "r2_score"}, "metric 'r2_score' is not one of model attrition-cmp:2's metrics.*AUC_weighted"),
    ({"champion": "attrition-cmp:9"}, "model attrition-cmp:9 not found"),
    ({"data": "no-such-data"}, "no-such-data"),
    ({"target": "Salary"}, "target column 'Salary' is not in the data"),
    ({"target": None}, "name the label column"),
])
def test_bad_names_and_metrics_are_named(release_server, versions, change, message):
    from modelyard.errors import ModelyardError

    _, ws = release_server
    arguments = {"champion": "attrition-cmp:1", "data": "attrition-holdout", "metric": "AUC_weighted",
                 "target": "Attrition", **change}
    with pytest.raises(ModelyardError, match=message):
        ws.models.compare("attrition-cmp:2", arguments.pop("champion"), **arguments)
