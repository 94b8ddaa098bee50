"""The workspace secret: encrypts endpoint keys and datastore credentials at rest (Fernet), signs access tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from pathlib import Path

from modelyard.errors import Conflict

SECRET_FILE = "secret.key"


def _secret(folder: Path) -> bytes:
    path = folder / SECRET_FILE
    try:
        key = path.read_bytes().strip()
    except FileNotFoundError:
        key = b""
    return key if _is_key(key) else _create_secret(path)


def _is_key(key: bytes) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key)) == 32 and len(key) == 44
    except ValueError:
        return False


def _create_secret(path: Path) -> bytes:
    """A new key, written under an exclusive lock unless another process wrote one first.

    An empty file (a crash between creating and writing it) gets a key too: nothing can have been
    encrypted with an empty one. Anything else that is not a key is refused, never replaced.
    """
    import fcntl

    from cryptography.fernet import Fernet

    with os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), "r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        key = handle.read().strip()
        if not key:
            key = Fernet.generate_key()
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
    if not _is_key(key):
        raise Conflict(f"{path} does not hold a workspace secret (44 url-safe base64 characters): restore it from "
                       "a backup; if it never held one, delete it, then set the datastore credentials and "
                       "regenerate the endpoint keys again")
    return key


def encrypt(folder: Path, text: str) -> str:
    from cryptography.fernet import Fernet

    return Fernet(_secret(folder)).encrypt(text.encode()).decode()


def decrypt(folder: Path, token: str, what: str = "a stored secret", fix: str = "set it again") -> str:
    from cryptography.fernet import Fernet, InvalidToken

    try:
        return Fernet(_secret(folder)).decrypt(token.encode()).decode()
    except InvalidToken:
        raise Conflict(f"{what} cannot be decrypted with the workspace secret {folder / SECRET_FILE} (the file "
                       f"was replaced, or the database belongs to another workspace): {fix}") from None


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
