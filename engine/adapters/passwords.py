"""Password hashing with argon2 (pwdlib's recommended settings)."""

from __future__ import annotations

from pwdlib import PasswordHash


class Argon2Hasher:
    def __init__(self) -> None:
        self._hash = PasswordHash.recommended()
        self._dummy = ""

    def hash(self, password: str) -> str:
        return self._hash.hash(password)

    def verify(self, password: str, password_hash: str) -> bool:
        """False for a wrong password; an empty hash (no password set) never matches, after
        the same work as a real check so that timing does not tell which names exist."""
        if not password_hash:
            if not self._dummy:
                self._dummy = self._hash.hash("caseflow-timing-equaliser")
            self._hash.verify(password, self._dummy)
            return False
        return bool(self._hash.verify(password, password_hash))
