"""The engine in-process: request parsing and coercion, loading every model format, and the
compiled path equal to the model (predictions exact, probabilities to 1e-6)."""

from __future__ import annotations

import numpy as np
import pytest

from modelyard.serving import Column, RequestError, Schema, load_model, parse_request

SCHEMA = Schema((Column("Age", "long"), Column("Rate", "double"), Column("OverTime", "string"),
                 Column("Flag", "boolean"), Column("Note", "string", required=False)))


def test_every_body_shape_gives_the_same_columns():
    rec = {"Age": 41, "Rate": 1.5, "OverTime": "Yes", "Flag": True, "Note": "x"}
    split = {"columns": list(rec), "data": [list(rec.values())]}
    for body in ({"data": [rec]}, {"input_data": [rec]}, {"dataframe_records": [rec]},
                 {"dataframe_split": split}, {"input_data": split}, {"data": rec},
                 {"data": [list(rec.values())]}):
        parsed = parse_request(body, SCHEMA)
        assert parsed.n_rows == 1
        assert parsed.columns == {"Age": [41], "Rate": [1.5], "OverTime": ["Yes"], "Flag": [True], "Note": ["x"]}


def test_values_readable_as_the_column_type_are_coerced():
    body = {"data": [{"Age": "41", "Rate": "2", "OverTime": 1, "Flag": "yes", "Extra": [1, 2]},
                     {"Age": 42.0, "Rate": None, "OverTime": 2.5, "Flag": 0}]}
    parsed = parse_request(body, SCHEMA)
    assert parsed.columns["Age"] == [41, 42]
    assert parsed.columns["Rate"][0] == 2.0 and np.isnan(parsed.columns["Rate"][1])
    assert parsed.columns["OverTime"] == ["1", "2.5"]  # a number in a string column: its text
    assert parsed.columns["Flag"] == [True, False]
    assert parsed.columns["Note"] == [None, None]  # optional and absent
    assert "Extra" not in parsed.columns


@pytest.mark.parametrize("body, status, words", [
    (b"{not json", 400, ["malformed JSON"]),
    (b"[1, 2]", 400, ["JSON object", "list"]),
    (b'"text"', 400, ["JSON object"]),
    ({"rows": []}, 400, ["'data'"]),
    ({"data": []}, 400, ["empty"]),
    ({"data": "abc"}, 400, ["list of records"]),
    ({"data": [1]}, 400, ["row 0", "object"]),
    ({"data": [{"Age": 1, "Rate": 1, "OverTime": "a", "Flag": True}, {"Age": "forty", "Rate": 1, "OverTime": "a", "Flag": 1}]},
     400, ["'Age'", "row 1", '"forty"']),
    ({"data": [{"Age": 1.5, "Rate": 1, "OverTime": "a", "Flag": True}]}, 400, ["'Age'", "row 0", "1.5"]),
    ({"data": [{"Age": 1, "Rate": 1, "OverTime": {"a": 1}, "Flag": True}]}, 400, ["'OverTime'", "row 0"]),
    ({"data": [{"Age": None, "Rate": 1, "OverTime": "a", "Flag": True}]}, 400, ["'Age'", "null"]),
    ({"data": [{"Age": 1, "Rate": 1, "Flag": True}]}, 400, ["missing", "'OverTime'"]),
    ({"data": [{"Age": 1, "Rate": 1, "OverTime": "a", "Flag": 3}]}, 400, ["'Flag'", "3"]),
    ({"data": [[1, 2]]}, 400, ["2 values", "5 columns"]),
    ({"data": [{"Age": 1, "Rate": 1, "OverTime": "a", "Flag": True}], "method": "explain"}, 400, ["method"]),
])
def test_bad_bodies_are_refused_with_the_reason(body, status, words):
    with pytest.raises(RequestError) as info:
        parse_request(body, SCHEMA)
    assert info.value.status == status
    for word in words:
        assert word in info.value.message


def test_proba_from_query_or_body():
    rec = {"Age": 1, "Rate": 1, "OverTime": "a", "Flag": True}
    assert parse_request({"data": [rec]}, SCHEMA, {"proba": "true"}).method == "predict_proba"
    assert parse_request({"data": [rec], "method": "predict_proba"}, SCHEMA).method == "predict_proba"
    assert parse_request({"data": [rec]}, SCHEMA).method == "predict"


@pytest.mark.parametrize("name", ["lr_skops", "lgbm_cloudpickle", "lgbm_skops", "pickle"])
def test_compiled_path_equals_the_model(models_dir, hr_data, name):
    if name not in models_dir:
        pytest.skip(f"{name} could not be saved with this skops")
    X, _, _ = hr_data
    scorer = load_model(models_dir[name])
    assert scorer.compiled is not None, scorer.compile_note
    model = scorer.model
    records = X.to_dict(orient="records")
    parsed = scorer.parse({"data": records})
    got = np.asarray(scorer.compiled.predict(parsed.columns))
    np.testing.assert_array_equal(got, model.predict(X))
    got_p = np.asarray(scorer.compiled.predict_proba(parsed.columns))
    np.testing.assert_allclose(got_p, model.predict_proba(X), rtol=0, atol=1e-6)
    # the public API goes the same way
    assert scorer.predict(records[:3]) == model.predict(X.head(3)).tolist()
    np.testing.assert_allclose(scorer.predict(records[:3], "predict_proba"), model.predict_proba(X.head(3)), atol=1e-6)


def test_plain_pickle_schema_from_feature_names(models_dir, hr_data):
    X, _, _ = hr_data
    scorer = load_model(models_dir["pickle"] / "model.pkl")
    assert scorer.source == "pickle"
    assert scorer.schema.names == list(X.columns)
    assert scorer.schema["OverTime"].type == "string"
    assert scorer.schema["Age"].type == "double"


def test_uncompilable_models_fall_back_to_the_model(hr_data, tmp_path):
    """A transformer the compiler does not know, and an encoder that errors on an unknown category."""
    import joblib
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, PolynomialFeatures

    X, y, _ = hr_data
    cats = ["BusinessTravel", "OverTime"]
    nums = ["Age", "MonthlyIncome"]
    poly = Pipeline([("pre", ColumnTransformer([("c", OneHotEncoder(), cats), ("n", PolynomialFeatures(), nums)])),
                     ("clf", LogisticRegression(max_iter=50))]).fit(X[cats + nums], y)
    joblib.dump(poly, tmp_path / "poly.pkl")
    scorer = load_model(tmp_path / "poly.pkl")
    assert scorer.compiled is None and "PolynomialFeatures" in scorer.compile_note
    assert scorer.predict(X[cats + nums].head(4).to_dict(orient="records")) == poly.predict(X[cats + nums].head(4)).tolist()

    strict = Pipeline([("pre", ColumnTransformer([("c", OneHotEncoder(handle_unknown="error"), cats)],
                                                 remainder="passthrough")),
                       ("clf", LogisticRegression(max_iter=500))]).fit(X[cats + nums], y)
    joblib.dump(strict, tmp_path / "strict.pkl")
    scorer = load_model(tmp_path / "strict.pkl")
    assert scorer.compiled is not None, scorer.compile_note
    record = X[cats + nums].iloc[0].to_dict()
    with pytest.raises(ValueError):  # the model's own error, not a silently wrong answer
        scorer.predict([{**record, "OverTime": "Maybe"}])


def test_skops_refuses_unknown_types_unless_trusted(models_dir, tmp_path):
    """LightGBM and scikit-learn types are trusted; a type from elsewhere needs --trust-type."""
    from modelyard.serving._model import ModelLoadError, _load_skops
    import skops.io
    from sklearn.preprocessing import FunctionTransformer

    import collections

    path = tmp_path / "odd.skops"
    skops.io.dump(FunctionTransformer(func=collections.Counter), path)
    with pytest.raises(ModelLoadError, match="not trusted"):
        _load_skops(path, None, ())
    untrusted = skops.io.get_untrusted_types(file=str(path))
    assert _load_skops(path, None, tuple(untrusted)) is not None
