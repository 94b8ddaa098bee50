"""What every part of the v1 shim shares: refusing calls it does not cover, and saying which v1
arguments have no local effect."""

from __future__ import annotations

import warnings
from typing import Any, Callable


class V1ArgumentWarning(UserWarning):
    """A v1 argument the local workspace cannot honour; the message says what happens instead."""


def not_honoured(call: str, arguments: dict[str, Any], instead: dict[str, str]) -> None:
    """Warn once per argument of ``call`` that was given (not None/False) and has no local effect."""
    for name, what_happens in instead.items():
        if arguments.get(name) not in (None, False, [], {}):
            warnings.warn(f"{call}: argument {name}={arguments[name]!r} is not honoured locally; {what_happens}",
                          V1ArgumentWarning, stacklevel=3)


def get_or_v1_error(operations: Any, name: str, error: type[Exception], kind: str, fix: str) -> Any:
    """``operations.get(name)``; a missing one raises v1's ``error`` with v1's "<Kind>NotFound" message."""
    from modelyard.errors import NotFound

    try:
        return operations.get(name)
    except NotFound:
        raise error(f"{kind.replace(' ', '')}NotFound: {kind} with name {name} not found in provided workspace "
                    f"({fix})") from None


def unsupported(call: str, equivalent: str) -> NotImplementedError:
    return NotImplementedError(f"{call} is not part of modelyard's Azure ML v1 API; use {equivalent} instead")


def module_getattr(module: str, equivalents: dict[str, str], package: str | None = None) -> Callable[[str], Any]:
    """A module ``__getattr__`` that refuses any v1 name the module does not define, naming the
    modelyard equivalent (or the SDK in general). In a ``package``, a submodule of that name is imported."""

    def __getattr__(name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if package is not None:
            import importlib

            try:
                return importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as error:
                if error.name != f"{package}.{name}":
                    raise
        raise unsupported(f"{module}.{name}", equivalents.get(name, "modelyard's own SDK (modelyard.Workspace)"))

    return __getattr__


class RefuseOtherMembers:
    """A base for v1 classes: any member this shim does not define raises NotImplementedError."""

    _equivalents: dict[str, str] = {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise unsupported(f"{type(self).__name__}.{name}",
                          self._equivalents.get(name, "modelyard's own SDK (modelyard.Workspace)"))


class RefuseOtherClassMembers(type):
    """A metaclass for v1 classes used through class attributes (``Dataset.File``): the same refusal."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise unsupported(f"{cls.__name__}.{name}", getattr(cls, "_equivalents", {}).get(
            name, "modelyard's own SDK (modelyard.Workspace)"))
