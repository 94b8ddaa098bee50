"""Datastore credentials at rest: kept apart from the settings, each encrypted with the workspace secret.

A datastore row's ``config`` holds no credential: the fields of SECRET_FIELDS and the password of a
URL (``scheme://user:password@host``) move to its ``secrets``, encrypted like endpoint keys.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from modelyard.services import _secrets
from modelyard.spec.datastore import SECRET_FIELDS

URL_PASSWORD = "url_password"
MASK = "***"
# user and password of a URL the way each reader parses it: SQLAlchemy lets a password hold '/', '?' and '#'
_URL_CREDENTIALS = {
    "sql": re.compile(r"^([\w+.-]+://[^:/@]*):([^@]*)@"),
    "http": re.compile(r"^([\w+.-]+://[^:/?#@]*):([^@/?#]*)@"),
}


def split(kind: str, config: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """``config`` without its credentials, and the credentials (in plain text) by name."""
    public = {key: value for key, value in config.items() if key not in SECRET_FIELDS}
    found = {key: config[key] for key in SECRET_FIELDS if config.get(key) is not None}
    pattern = _URL_CREDENTIALS.get(kind)
    match = pattern.match(config["url"]) if pattern and isinstance(config.get("url"), str) else None
    if match and match.group(2):
        public["url"] = f"{match.group(1)}@{config['url'][match.end():]}"
        found[URL_PASSWORD] = match.group(2)
    return public, found


def merge(config: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """``config`` with the credentials ``values`` (plain text, or masks for showing) put back in place."""
    merged = {**config, **{key: value for key, value in values.items() if key != URL_PASSWORD}}
    if URL_PASSWORD in values:
        user, _, rest = merged["url"].partition("@")
        merged["url"] = f"{user}:{values[URL_PASSWORD]}@{rest}"
    return merged


def masked(config: dict[str, Any], secrets: dict[str, str] | None) -> dict[str, Any]:
    return merge(config, {key: MASK for key in secrets or {}})


def encrypt(folder: Path, found: dict[str, str]) -> dict[str, str]:
    return {key: _secrets.encrypt(folder, value) for key, value in found.items()}


def reveal(folder: Path, name: str, config: dict[str, Any], secrets: dict[str, str] | None) -> dict[str, Any]:
    """The settings with their credentials decrypted, to connect with; never for showing."""
    fix = f"delete datastore '{name}' and create it again with its credentials"
    return merge(config, {key: _secrets.decrypt(folder, value, f"the {key} of datastore '{name}'", fix)
                          for key, value in (secrets or {}).items()})
