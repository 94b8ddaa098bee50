"""Execute Python Script: Azure's ``azureml_main(dataframe1, dataframe2)`` contract.

The script defines ``azureml_main``, which gets copies of the inputs (None where a port is not
connected) and returns a DataFrame or a tuple of one or two. It runs in the calling process: the
runner decides which process that is.
"""

from __future__ import annotations

import traceback

from modelyard.errors import InvalidInput

from modelyard.designer._registry import module, parameter, port

SCRIPT_NAME = "<python_script>"  # the parameter holding the code, as tracebacks name it
TEMPLATE = '''import pandas as pd


def azureml_main(dataframe1=None, dataframe2=None):
    return dataframe1,
'''


class ScriptFailed(InvalidInput):
    """The user's script raised; ``log`` holds its traceback (the script's own frames)."""

    def __init__(self, message: str, log: str) -> None:
        super().__init__(message)
        self.log = log


def _script_frames(error: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == SCRIPT_NAME]
    return "".join(traceback.format_list(frames) + traceback.format_exception_only(type(error), error))


def call_user(function, *args, who: str):
    """``function(*args)`` from the user's script; any exception it raises is the step's failure (ScriptFailed)."""
    try:
        return function(*args)
    except Exception as error:
        log = _script_frames(error)
        raise ScriptFailed(f"{who} raised {type(error).__name__}: {error}\n{log}", log) from None


def load_entry(script: str, name: str, what: str):
    """The callable ``name`` that ``script`` defines (its top level runs here)."""
    try:
        code = compile(script, SCRIPT_NAME, "exec")
    except SyntaxError as error:
        raise InvalidInput(f"the script has a syntax error at line {error.lineno}: {error.msg}") from None
    namespace: dict = {"__name__": "azureml_script"}
    call_user(exec, code, namespace, who="the script")
    entry = namespace.get(name)
    if not callable(entry):
        raise InvalidInput(f"the script defines no {what}; define one")
    return entry


def _outputs(result):
    import pandas as pd

    values = result if isinstance(result, (tuple, list)) else (result,)
    if not 1 <= len(values) <= 2 or not all(isinstance(v, pd.DataFrame) or v is None for v in values) or (
            values[0] is None):
        kinds = ", ".join(type(v).__name__ for v in values) or "an empty tuple"
        raise InvalidInput(f"azureml_main returned {kinds}; return a pandas DataFrame, or a tuple of one or two "
                           "DataFrames")
    return values[0], (values[1] if len(values) == 2 else None)


@module("execute_python_script", "Execute Python Script", "Python Language",
        "Runs azureml_main(dataframe1, dataframe2) from a Python script; it returns one or two DataFrames.",
        inputs=[port("dataframe1", "Dataframe1", optional=True), port("dataframe2", "Dataframe2", optional=True)],
        outputs=[port("result_dataset", "Result dataset"), port("result_dataset2", "Result dataset2")],
        parameters=[parameter("script", "python_script", "Python script", TEMPLATE)])
def execute_python_script(dataframe1, dataframe2, *, python_script):
    entry = load_entry(python_script, "azureml_main", "function azureml_main(dataframe1, dataframe2)")
    return _outputs(call_user(entry, None if dataframe1 is None else dataframe1.copy(),
                              None if dataframe2 is None else dataframe2.copy(), who="azureml_main"))
