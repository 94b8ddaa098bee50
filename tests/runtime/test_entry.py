"""How a job runner ends: a missing optional package names the extra that installs it."""

from __future__ import annotations

import pytest

from modelyard.errors import InvalidInput
from modelyard.runtime._entry import exit_with


def _needs(module: str):
    def run() -> int:
        raise ModuleNotFoundError(f"No module named '{module}'", name=module)
    return run


def test_a_missing_optional_package_fails_with_the_pip_line_of_its_extra(capsys):
    with pytest.raises(SystemExit) as ended:
        exit_with(_needs("fairlearn.metrics"))
    assert ended.value.code == 2
    assert capsys.readouterr().err == ("error: this job needs fairlearn, which the Python environment of its compute "
                                       "lacks; install it with: pip install 'modelyard[explain]'\n")


def test_any_other_missing_module_and_other_errors_keep_their_own_ending(capsys):
    with pytest.raises(ModuleNotFoundError):
        exit_with(_needs("no_such_module"))

    def refused() -> int:
        raise InvalidInput("column 'Age' is missing")
    with pytest.raises(SystemExit) as ended:
        exit_with(refused)
    assert ended.value.code == 2 and capsys.readouterr().err == "error: column 'Age' is missing\n"
    with pytest.raises(SystemExit) as ended:
        exit_with(lambda: 0)
    assert ended.value.code == 0
