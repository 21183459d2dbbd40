"""Signing in and out of the web application: argon2-hashed passwords, server-side sessions
(the cookie carries a random token, the database its SHA-256) with idle and absolute expiry,
lock-out after repeated failures (persisted), and the audit log of it all."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.deadlines import LOCAL_TZ
from engine.domain.auth import (
    AccountLocked,
    AuditEntry,
    AuditKind,
    SessionPolicy,
    SessionRecord,
    SignInFailed,
    check_new_password,
)
from engine.domain.errors import InvalidInput
from engine.domain.permissions import require_role
from engine.domain.roles import Role
from engine.domain.users import User
from engine.service.context import ServiceContext, actor_of
from engine.service.ports import AbstractUnitOfWork, PasswordHasher
from engine.service.read_models import Page
from engine.service.user_log import log_user

TOUCH_EVERY = timedelta(seconds=60)
"""How stale a session's last-seen time may get before a request writes it again."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    """A new session: the token for the cookie (shown once, never stored) and the user."""

    token: str
    csrf_token: str
    user: User
    must_change_password: bool


@dataclass(frozen=True)
class CurrentSession:
    """The session a request carries, once checked: who, and the form token it must send."""

    user: User
    csrf_token: str
    token_hash: str
    must_change_password: bool


@dataclass(frozen=True)
class Client:
    """Where a request comes from, for the audit log."""

    ip: str = ""
    user_agent: str = ""
    channel: str = "web"


def record(
    uow: AbstractUnitOfWork,
    kind: AuditKind,
    at: datetime,
    actor: str,
    client: Client,
    subject: str = "",
    detail: str = "",
) -> None:
    uow.audit.add(AuditEntry(at, kind, actor, subject, detail, client.ip, client.channel))


class AuthService:
    def __init__(
        self, ctx: ServiceContext, hasher: PasswordHasher, policy: SessionPolicy | None = None
    ) -> None:
        self.ctx = ctx
        self.hasher = hasher
        self.policy = policy or SessionPolicy()

    def sign_in(self, name: str, password: str, client: Client) -> SignedIn:
        """A new session for a correct name and password of an active, unlocked user.
        Failures are counted per account; the fifth in a row locks it for 15 minutes."""
        name = name.strip()
        now = self.ctx.clock.now()
        with self.ctx.uow() as uow:
            user = uow.users.get(name) if name else None
            creds = uow.users.credentials(name) if user is not None else None
            if user is None or creds is None or not user.active:
                self.hasher.verify(password, "")  # same work whether or not the name exists
                record(uow, AuditKind.SIGN_IN_FAILED, now, name[:64], client, name[:64])
                uow.commit()
                raise SignInFailed()
            if creds.locked(now):
                record(uow, AuditKind.SIGN_IN_FAILED, now, name, client, name, "账户已锁定")
                uow.commit()
                assert creds.locked_until is not None
                raise AccountLocked(_local(creds.locked_until))
            if not self.hasher.verify(password, creds.password_hash):
                self._failed(uow, user, creds.failed_logins + 1, now, client)
                uow.commit()
                raise SignInFailed()
            uow.users.record_failures(name, 0, None)
            signed = self._new_session(uow, user, creds.must_change, now, client)
            record(uow, AuditKind.SIGNED_IN, now, name, client, name)
            uow.commit()
        return signed

    def _failed(
        self, uow: AbstractUnitOfWork, user: User, failures: int, now: datetime, client: Client
    ) -> None:
        detail = f"第 {failures} 次失败"
        record(uow, AuditKind.SIGN_IN_FAILED, now, user.name, client, user.name, detail)
        if failures >= self.policy.max_failures:
            until = now + self.policy.lockout
            uow.users.record_failures(user.name, 0, until)
            uow.sessions.end_all(user.name, now)
            why = f"连续 {failures} 次登录失败，锁定至 {_local(until)}"
            record(uow, AuditKind.LOCKED_OUT, now, user.name, client, user.name, why)
        else:
            uow.users.record_failures(user.name, failures, None)

    def _new_session(
        self, uow: AbstractUnitOfWork, user: User, must_change: bool, now: datetime, c: Client
    ) -> SignedIn:
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        uow.sessions.add(
            SessionRecord(
                token_hash=token_hash(token),
                user=user.name,
                csrf_token=csrf,
                created_at=now,
                last_seen_at=now,
                expires_at=now + self.policy.absolute,
                ip=c.ip[:64],
                user_agent=c.user_agent[:300],
            )
        )
        return SignedIn(token, csrf, user, must_change)

    def current(self, token: str | None, client: Client) -> CurrentSession | None:
        """The session of a request's cookie, or None when it is missing, ended, idle too
        long, past its absolute expiry, or its user is disabled. A live session is touched
        (its idle time starts again) — at most once every TOUCH_EVERY, so that reading pages
        costs no write transaction; the idle expiry is accurate to that interval."""
        if not token:
            return None
        now = self.ctx.clock.now()
        hashed = token_hash(token)
        with self.ctx.uow(readonly=True) as uow:
            session = uow.sessions.get(hashed)
            if session is None or session.ended_at is not None:
                return None
            user = uow.users.get(session.user)
            creds = uow.users.credentials(user.name) if user is not None else None
        if session.expired(now, self.policy) or user is None or not user.active:
            with self.ctx.uow() as uow:
                uow.sessions.end(hashed, now)
                record(uow, AuditKind.SESSION_EXPIRED, now, session.user, client, session.user)
                uow.commit()
            return None
        if now - session.last_seen_at >= TOUCH_EVERY:
            with self.ctx.uow() as uow:
                uow.sessions.touch(hashed, now)
                uow.commit()
        must_change = creds.must_change if creds is not None else False
        return CurrentSession(user, session.csrf_token, hashed, must_change)

    def sign_out(self, session: CurrentSession, client: Client) -> None:
        now = self.ctx.clock.now()
        with self.ctx.uow() as uow:
            uow.sessions.end(session.token_hash, now)
            record(uow, AuditKind.SIGNED_OUT, now, session.user.name, client, session.user.name)
            uow.commit()

    def change_password(
        self, session: CurrentSession, old: str, new: str, client: Client
    ) -> SignedIn:
        """Change one's own password (the current one is asked again); every other session
        of the user ends, and this one is replaced by a fresh session."""
        name = session.user.name
        check_new_password(name, new)
        if old == new:
            raise InvalidInput("新密码", "不能与原密码相同")
        now = self.ctx.clock.now()
        with self.ctx.uow() as uow:
            creds = uow.users.credentials(name)
            if creds is None or not self.hasher.verify(old, creds.password_hash):
                raise InvalidInput("原密码", "不正确")
            uow.users.set_password(name, self.hasher.hash(new), False, now)
            uow.sessions.end_all(name, now)
            signed = self._new_session(uow, session.user, False, now, client)
            record(uow, AuditKind.PASSWORD_CHANGED, now, name, client, name)
            log_user(uow, AuditKind.PASSWORD_CHANGED, name, name, now)
            uow.commit()
        return signed

    def record_event(
        self, kind: AuditKind, actor: str, subject: str, detail: str, client: Client
    ) -> None:
        """Log an event of the web layer: a refusal (a permission the engine denied, a case
        outside one's view, a form without its token) or an admin's verification run."""
        with self.ctx.uow() as uow:
            record(uow, kind, self.ctx.clock.now(), actor, client, subject, detail)
            uow.commit()

    def audit_log(
        self, *, actor: str, kind: str | None = None, page: int = 1, per_page: int = 50
    ) -> Page[AuditEntry]:
        """The audit log, newest first: the admin's to read."""
        if page < 1:
            raise InvalidInput("页码", "应从 1 开始")
        with self.ctx.uow(readonly=True) as uow:
            require_role(actor_of(uow, actor), (Role.ADMIN,), "查看审计日志")
            return uow.audit.list(kind, page, per_page)


def _local(at: datetime) -> str:
    return at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
