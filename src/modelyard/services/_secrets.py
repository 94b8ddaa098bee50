"""The workspace secret: encrypts endpoint keys at rest and signs short-lived access tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from pathlib import Path

SECRET_FILE = "secret.key"


def _secret(folder: Path) -> bytes:
    path = folder / SECRET_FILE
    if not path.exists():
        from cryptography.fernet import Fernet

        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(Fernet.generate_key())
        except FileExistsError:
            pass
    return path.read_bytes().strip()


def encrypt(folder: Path, text: str) -> str:
    from cryptography.fernet import Fernet

    return Fernet(_secret(folder)).encrypt(text.encode()).decode()


def decrypt(folder: Path, token: str) -> str:
    from cryptography.fernet import Fernet

    return Fernet(_secret(folder)).decrypt(token.encode()).decode()


def sign_token(folder: Path, subject: str, seconds: int = 3600) -> tuple[str, int]:
    """A bearer token for ``subject`` that expires after ``seconds``; returns it and its expiry (epoch)."""
    expires = int(time.time()) + seconds
    body = base64.urlsafe_b64encode(json.dumps({"sub": subject, "exp": expires}).encode()).decode().rstrip("=")
    mac = hmac.new(_secret(folder), body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}", expires


def check_token(folder: Path, token: str, subject: str) -> bool:
    body, _, mac = token.partition(".")
    expected = hmac.new(_secret(folder), body.encode(), hashlib.sha256).hexdigest()
    if not mac or not hmac.compare_digest(mac, expected):
        return False
    try:
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return False
    return claims.get("sub") == subject and claims.get("exp", 0) > time.time()
