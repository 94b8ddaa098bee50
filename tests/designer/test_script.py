"""Execute Python Script: Azure's azureml_main contract, and clear errors naming the module."""

from __future__ import annotations

import pytest

from modelyard.designer import run_module
from modelyard.designer._script import ScriptFailed
from modelyard.errors import InvalidInput


def run_script(script, frame1=None, frame2=None):
    return run_module("execute_python_script", {"dataframe1": frame1, "dataframe2": frame2}, {"python_script": script})


def test_the_script_gets_both_frames_and_returns_two(hr):
    script = ("import pandas as pd\n\ndef azureml_main(dataframe1, dataframe2):\n"
              "    joined = pd.concat([dataframe1, dataframe2])\n"
              "    return joined, joined.groupby('Attrition').size().reset_index(name='n')\n")
    out = run_script(script, hr.head(10), hr.tail(5))
    assert len(out["result_dataset"]) == 15
    assert out["result_dataset2"]["n"].sum() == 15


def test_the_default_script_passes_the_first_frame_through(hr):
    out = run_module("execute_python_script", {"dataframe1": hr})
    assert out["result_dataset"].equals(hr) and out["result_dataset2"] is None


def test_the_script_cannot_change_the_upstream_frame(hr):
    frame = hr.head(3).copy()
    run_script("def azureml_main(dataframe1, dataframe2):\n    dataframe1['Age'] = 0\n    return dataframe1\n", frame)
    assert frame["Age"].tolist() == hr["Age"].head(3).tolist()


def test_a_script_that_raises_names_the_module_the_error_and_the_line(hr):
    script = "def azureml_main(dataframe1, dataframe2):\n    x = 1\n    return dataframe1['Nope']\n"
    with pytest.raises(ScriptFailed) as caught:
        run_script(script, hr)
    message = caught.value.message
    assert message.startswith("Execute Python Script: azureml_main raised KeyError: 'Nope'")
    assert 'File "<python_script>", line 3, in azureml_main' in caught.value.log
    assert isinstance(caught.value, InvalidInput)


@pytest.mark.parametrize("returned, kind", [("42", "int"), ("'text'", "str"), ("[dataframe1.values]", "ndarray"),
                                            ("(dataframe1, dataframe1, dataframe1)", "DataFrame, DataFrame, DataFrame")])
def test_a_script_returning_no_dataframe_is_refused(hr, returned, kind):
    with pytest.raises(InvalidInput, match=rf"Execute Python Script: azureml_main returned {kind}; return a pandas "
                                           r"DataFrame, or a tuple of one or two DataFrames"):
        run_script(f"def azureml_main(dataframe1, dataframe2):\n    return {returned}\n", hr.head(2))


def test_a_syntax_error_and_a_missing_entry_point(hr):
    with pytest.raises(InvalidInput, match="Execute Python Script: the script has a syntax error at line 2"):
        run_script("def azureml_main(a, b):\n    return (\n", hr)
    with pytest.raises(InvalidInput, match="the script defines no function azureml_main"):
        run_script("def main(a, b):\n    return a\n", hr)
