"""Password policy after NIST SP 800-63B and bcrypt hashing.

Policy: at least 10 characters, at most 256 (a longer one is almost surely pasted by mistake and
costs hashing time), not on the shipped list of common passwords, not the user's email, not one
character repeated; no composition rules. Passwords are SHA-256'd before bcrypt so characters past
bcrypt's 72-byte limit still count.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from pathlib import Path

import bcrypt

MIN_LENGTH = 10
MAX_LENGTH = 256
_COMMON_FILE = Path(__file__).parent / "data" / "common_passwords.txt"


@functools.cache
def _common_passwords() -> frozenset[str]:
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def policy_problem(password: str, email: str = "") -> str | None:
    """Why the password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    lowered = password.lower()
    if lowered in _common_passwords():
        return "That password is too common and appears in breach lists; choose another."
    if len(set(password)) == 1:
        return "A password of one repeated character is too easy to guess."
    local_part = email.split("@")[0].lower()
    if len(local_part) >= 4 and lowered in (local_part, email.lower()):
        return "Your password must not be your email address."
    return None


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str, rounds: int = 12) -> str:
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(rounds)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(_prehash(password), password_hash.encode("ascii"))
    except ValueError:
        return False
