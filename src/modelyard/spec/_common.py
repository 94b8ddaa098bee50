"""Shapes shared by every noun: names, versions and references like ``name:3`` or ``name@latest``."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from modelyard.errors import InvalidInput

# Always fullmatch: "$" would also match before a final newline ("name\n").
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,254}")


def check_name(name: str, what: str = "name") -> str:
    """Return ``name`` if it is a legal asset name, else raise InvalidInput saying why."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name) or ".." in name:
        raise InvalidInput(
            f"{what} {name!r} is not allowed: use letters, digits, '-', '_' and '.', "
            "start with a letter or digit, at most 255 characters, no '..' or '/'"
        )
    return name


def _validated_name(value: str) -> str:
    try:
        return check_name(value)
    except InvalidInput as error:
        raise ValueError(error.message) from None


Name = Annotated[str, AfterValidator(_validated_name)]


class Spec(BaseModel):
    """Base of user-facing shapes: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Record(BaseModel):
    """Base of shapes the server returns."""

    model_config = ConfigDict(from_attributes=True)


class AssetRef(BaseModel):
    """A parsed ``name``, ``name:3`` or ``name@latest`` (``name@alias`` for aliases)."""

    name: str
    version: int | None = None
    label: str | None = None

    @classmethod
    def parse(cls, text: str) -> "AssetRef":
        if "@" in text:
            name, label = text.split("@", 1)
            check_name(name)
            if not label:
                raise InvalidInput(f"reference {text!r} has an empty label after '@' (try {name}@latest)")
            return cls(name=name, label=label)
        if ":" in text:
            name, version = text.rsplit(":", 1)
            check_name(name)
            if not version.isdigit() or int(version) < 1:
                raise InvalidInput(f"reference {text!r}: version must be a positive integer, got {version!r}")
            return cls(name=name, version=int(version))
        return cls(name=check_name(text))

    def __str__(self) -> str:
        if self.version is not None:
            return f"{self.name}:{self.version}"
        if self.label is not None:
            return f"{self.name}@{self.label}"
        return self.name


Timestamp = datetime


def validate_spec(model, data, what: str):
    """Validate ``data`` against a pydantic model (or TypeAdapter); InvalidInput names each bad field."""
    from pydantic import TypeAdapter, ValidationError

    adapter = model if isinstance(model, TypeAdapter) else TypeAdapter(model)
    try:
        return adapter.validate_python(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            location = ".".join(str(p) for p in item["loc"] if not str(p).endswith("Create"))
            message = item["msg"].removeprefix("Value error, ")
            problems.append(f"{location or '(top level)'}: {message}")
        raise InvalidInput(f"{what} is invalid: " + "; ".join(problems)) from None
