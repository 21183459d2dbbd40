"""Ports of the JSON API's own records: per-user API tokens (only their SHA-256 stored) and
the idempotency keys of the commands that create things. `db/api.py` implements them in
SQL, `tests/fakes.py` in memory; the unit of work carries them as ``tokens`` and
``idempotency``."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ApiToken:
    """An API token as stored: whose it is, what it is for, never the token itself."""

    id: int
    user: str
    label: str
    prefix: str
    """The first characters of the token, to tell tokens apart in a listing."""
    created_at: datetime
    created_by: str
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class IdempotencyRecord:
    """A command sent with an Idempotency-Key: the request it was (its fingerprint) and,
    once it has completed, the response it got (status 0 while it is still running)."""

    user: str
    key: str
    fingerprint: str
    created_at: datetime
    status: int = 0
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def completed(self) -> bool:
        return self.status != 0


class ApiTokenRepository(abc.ABC):
    @abc.abstractmethod
    def add(
        self, *, user: str, label: str, token_hash: str, prefix: str, at: datetime, by: str
    ) -> int: ...

    @abc.abstractmethod
    def by_hash(self, token_hash: str) -> ApiToken | None: ...

    @abc.abstractmethod
    def get(self, token_id: int) -> ApiToken | None: ...

    @abc.abstractmethod
    def list(self, user: str | None = None) -> list[ApiToken]: ...

    @abc.abstractmethod
    def revoke(self, token_id: int, at: datetime) -> None: ...

    @abc.abstractmethod
    def touch(self, token_id: int, at: datetime) -> None: ...


class IdempotencyRepository(abc.ABC):
    @abc.abstractmethod
    def reserve(self, user: str, key: str, fingerprint: str, at: datetime) -> bool:
        """Record a new key as running; False (and nothing written) when the user already
        used it — also when another request reserved it at the same moment."""

    @abc.abstractmethod
    def get(self, user: str, key: str) -> IdempotencyRecord | None: ...

    @abc.abstractmethod
    def complete(self, user: str, key: str, status: int, response: dict[str, Any]) -> None: ...

    @abc.abstractmethod
    def release(self, user: str, key: str) -> None:
        """Forget a key whose command failed (nothing was created): it may be sent again."""
