"""Random secrets handed to people, of which only a hash is kept."""

from __future__ import annotations

import hashlib
import secrets


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def secret_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
