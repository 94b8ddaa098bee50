"""The package's public surface: what the README and the examples import is exported, and only that."""

from __future__ import annotations

import subprocess
import sys
import types

import modelyard


def test_every_exported_name_resolves_and_all_is_sorted():
    assert modelyard.__all__ == sorted(modelyard.__all__)
    for name in modelyard.__all__:
        value = getattr(modelyard, name)
        if isinstance(value, types.ModuleType):
            assert value.__name__ == f"modelyard.{name}"
        elif name != "__version__":
            assert value.__name__ == name, f"modelyard.{name} is {value!r}"


def test_the_readme_imports_work():
    from modelyard import InvalidInput, NotFound, Workspace, automl, run  # noqa: F401

    assert issubclass(NotFound, modelyard.ModelyardError) and issubclass(InvalidInput, ValueError)
    assert callable(run.log) and callable(automl.run_automl)


def test_an_unknown_name_is_an_attribute_error():
    try:
        modelyard.Nonexistent  # noqa: B018
    except AttributeError as error:
        assert "Nonexistent" in str(error)
    else:
        raise AssertionError("modelyard.Nonexistent resolved")


def test_importing_the_package_stays_light():
    code = "import sys, modelyard; print(sorted(m for m in ('pandas', 'httpx', 'pydantic', 'sklearn') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_package_declares_its_types():
    from importlib.resources import files

    assert files("modelyard").joinpath("py.typed").is_file()


def test_the_lazy_packages_list_their_exports_before_first_use():
    code = ("import modelyard.automl as a, modelyard.data as d, modelyard.monitor as m, modelyard.serving as s, sys; "
            "print(all(set(p.__all__) <= set(dir(p)) for p in (a, d, m, s)), 'sklearn' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False"]
