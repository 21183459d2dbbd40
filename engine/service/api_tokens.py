"""Per-user API tokens for integrations: created and revoked by the admin (web admin pages,
`caseflow token`), shown once, stored as their SHA-256 only (a token is 256 random bits,
so a fast hash is enough — as for session tokens), recorded in the audit log. A token acts
as its user: the same roles and the same view of cases as that user's web session.

Also the idempotency keys of the API's creating commands: a retried request with the same
key gets the first response again and never creates a second case or attachment."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from engine.domain.auth import AuditKind
from engine.domain.errors import CaseflowError, InvalidInput, UnknownUser
from engine.domain.permissions import require_role
from engine.domain.roles import Role
from engine.domain.users import User
from engine.service.api_ports import ApiToken, IdempotencyRecord
from engine.service.auth import Client, record
from engine.service.context import ServiceContext, actor_of

TOKEN_PREFIX = "cf_"
SHOWN_PREFIX = 10
TOUCH_EVERY = timedelta(seconds=60)
MAX_KEY_LENGTH = 200


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the secret (shown once, never stored) and its stored record."""

    token: str
    record: ApiToken


class TokenNotFound(CaseflowError):
    code = "TOKEN_NOT_FOUND"

    def __init__(self, token_id: int) -> None:
        super().__init__(f"接口令牌不存在：{token_id}", token=token_id)


class IdempotencyKeyReused(CaseflowError):
    code = "IDEMPOTENCY_KEY_REUSED"

    def __init__(self, key: str) -> None:
        super().__init__(
            f"幂等键「{key}」已用于另一个不同的请求；重试时请原样重发，新请求请换一个幂等键",
            key=key,
        )


class IdempotencyInProgress(CaseflowError):
    code = "IDEMPOTENCY_IN_PROGRESS"

    def __init__(self, key: str) -> None:
        super().__init__(
            f"使用幂等键「{key}」的请求仍在处理中，请稍后再重试（不会重复创建）", key=key
        )


class ApiTokenService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def create(
        self, user: str, label: str, *, actor: str | None, client: Client | None = None
    ) -> IssuedToken:
        label = label.strip()
        if not label or len(label) > 200:
            raise InvalidInput("令牌用途", "不能为空，最多 200 字")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = self.ctx.clock.now()
        with self.ctx.uow() as uow:
            admin = actor_of(uow, actor)
            require_role(admin, (Role.ADMIN,), "创建接口令牌")
            owner = uow.users.get(user.strip())
            if owner is None or not owner.active:
                raise UnknownUser(user)
            token_id = uow.tokens.add(
                user=owner.name,
                label=label,
                token_hash=token_hash(token),
                prefix=token[:SHOWN_PREFIX],
                at=now,
                by=admin.name,
            )
            record(
                uow,
                AuditKind.TOKEN_CREATED,
                now,
                admin.name,
                client or Client(channel="cli"),
                owner.name,
                f"{label}（{token[:SHOWN_PREFIX]}…）",
            )
            stored = uow.tokens.get(token_id)
            uow.commit()
        assert stored is not None
        return IssuedToken(token, stored)

    def list(self, *, actor: str | None, user: str | None = None) -> list[ApiToken]:
        with self.ctx.uow(readonly=True) as uow:
            require_role(actor_of(uow, actor), (Role.ADMIN,), "查看接口令牌")
            return uow.tokens.list(user)

    def revoke(self, token_id: int, *, actor: str | None, client: Client | None = None) -> None:
        now = self.ctx.clock.now()
        with self.ctx.uow() as uow:
            admin = actor_of(uow, actor)
            require_role(admin, (Role.ADMIN,), "吊销接口令牌")
            found = uow.tokens.get(token_id)
            if found is None:
                raise TokenNotFound(token_id)
            if found.revoked_at is None:
                uow.tokens.revoke(token_id, now)
                record(
                    uow,
                    AuditKind.TOKEN_REVOKED,
                    now,
                    admin.name,
                    client or Client(channel="cli"),
                    found.user,
                    f"{found.label}（{found.prefix}…）",
                )
            uow.commit()

    def authenticate(self, token: str) -> User | None:
        """The active user a live token belongs to, or None (unknown, revoked, disabled)."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        now = self.ctx.clock.now()
        with self.ctx.uow(readonly=True) as uow:
            found = uow.tokens.by_hash(token_hash(token))
            user = uow.users.get(found.user) if found is not None else None
        if found is None or found.revoked_at is not None or user is None or not user.active:
            return None
        if found.last_used_at is None or now - found.last_used_at >= TOUCH_EVERY:
            with self.ctx.uow() as uow:
                uow.tokens.touch(found.id, now)
                uow.commit()
        return user

    # -- idempotency keys ------------------------------------------------------------------

    def once(
        self,
        user: str,
        key: str,
        fingerprint: str,
        command: Callable[[], tuple[int, dict[str, Any]]],
    ) -> tuple[int, dict[str, Any]]:
        """Run a creating command at most once per user and key: the key is reserved in its
        own transaction first (a concurrent duplicate finds it taken), the command runs,
        and its response is stored for every retry. A command that fails created nothing:
        its key is released and may be sent again."""
        key = _checked_key(key)
        now = self.ctx.clock.now()
        with self.ctx.uow() as uow:
            reserved = uow.idempotency.reserve(user, key, fingerprint, now)
            existing = None if reserved else uow.idempotency.get(user, key)
            uow.commit()
        if existing is not None:
            return _replay(existing, key, fingerprint)
        try:
            status, body = command()
        except BaseException:
            with self.ctx.uow() as uow:
                uow.idempotency.release(user, key)
                uow.commit()
            raise
        with self.ctx.uow() as uow:
            uow.idempotency.complete(user, key, status, body)
            uow.commit()
        return status, body


def _checked_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise InvalidInput("Idempotency-Key", f"应为 1 到 {MAX_KEY_LENGTH} 个可打印 ASCII 字符")
    return key


def _replay(found: IdempotencyRecord, key: str, fingerprint: str) -> tuple[int, dict[str, Any]]:
    if found.fingerprint != fingerprint:
        raise IdempotencyKeyReused(key)
    if not found.completed:
        raise IdempotencyInProgress(key)
    return found.status, found.response
