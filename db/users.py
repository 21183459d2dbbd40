"""SQL repositories of the bureau's users (with their credentials), the signed-in sessions
and the audit log."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping

from db.tables import AuditRow, SessionRow, UserRow
from engine.domain.auth import AuditEntry, AuditKind, Credentials, SessionRecord
from engine.domain.roles import Role
from engine.domain.users import User
from engine.service import ports
from engine.service.read_models import Page

users_t: sa.Table = UserRow.__table__  # type: ignore[attr-defined]
sessions_t: sa.Table = SessionRow.__table__  # type: ignore[attr-defined]
audit_t: sa.Table = AuditRow.__table__  # type: ignore[attr-defined]

_USER_BY_NAME = sa.select(users_t).where(users_t.c.name == sa.bindparam("b_name"))
_SESSION = sa.select(sessions_t).where(sessions_t.c.token_hash == sa.bindparam("b_token"))


def _user(r: RowMapping) -> User:
    return User(
        r["name"],
        Role(r["role"]),
        r["unit"],
        r["display_name"],
        r["active"],
        cert_no=r["cert_no"],
        title=r["title"],
    )


class SqlUserRepository(ports.UserRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def add(self, user: User) -> None:
        self.conn.execute(
            sa.insert(users_t).values(
                name=user.name,
                role=str(user.role),
                unit=user.unit,
                display_name=user.display_name,
                active=user.active,
                cert_no=user.cert_no,
                title=user.title,
            )
        )

    def get(self, name: str) -> User | None:
        r = self.conn.execute(_USER_BY_NAME, {"b_name": name}).mappings().first()
        return _user(r) if r else None

    def list(self) -> list[User]:
        rows = self.conn.execute(sa.select(users_t).order_by(users_t.c.id)).mappings()
        return [_user(r) for r in rows]

    def update(self, user: User) -> None:
        self.conn.execute(
            sa.update(users_t)
            .where(users_t.c.name == user.name)
            .values(
                role=str(user.role),
                unit=user.unit,
                display_name=user.display_name,
                active=user.active,
                cert_no=user.cert_no,
                title=user.title,
            )
        )

    def credentials(self, name: str) -> Credentials | None:
        r = self.conn.execute(_USER_BY_NAME, {"b_name": name}).mappings().first()
        if r is None:
            return None
        return Credentials(
            user=r["name"],
            password_hash=r["password_hash"],
            must_change=r["must_change_password"],
            failed_logins=r["failed_logins"],
            locked_until=r["locked_until"],
        )

    def set_password(self, name: str, password_hash: str, must_change: bool, at: datetime) -> None:
        self.conn.execute(
            sa.update(users_t)
            .where(users_t.c.name == name)
            .values(
                password_hash=password_hash,
                must_change_password=must_change,
                password_changed_at=at,
                failed_logins=0,
                locked_until=None,
            )
        )

    def record_failures(self, name: str, failures: int, locked_until: datetime | None) -> None:
        self.conn.execute(
            sa.update(users_t)
            .where(users_t.c.name == name)
            .values(failed_logins=failures, locked_until=locked_until)
        )


class SqlSessionRepository(ports.SessionRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def add(self, session: SessionRecord) -> None:
        self.conn.execute(
            sa.insert(sessions_t).values(
                token_hash=session.token_hash,
                user_name=session.user,
                csrf_token=session.csrf_token,
                created_at=session.created_at,
                last_seen_at=session.last_seen_at,
                expires_at=session.expires_at,
                ended_at=session.ended_at,
                ip=session.ip,
                user_agent=session.user_agent,
            )
        )

    def get(self, token_hash: str) -> SessionRecord | None:
        r = self.conn.execute(_SESSION, {"b_token": token_hash}).mappings().first()
        if r is None:
            return None
        return SessionRecord(
            token_hash=r["token_hash"],
            user=r["user_name"],
            csrf_token=r["csrf_token"],
            created_at=r["created_at"],
            last_seen_at=r["last_seen_at"],
            expires_at=r["expires_at"],
            ended_at=r["ended_at"],
            ip=r["ip"],
            user_agent=r["user_agent"],
        )

    def touch(self, token_hash: str, at: datetime) -> None:
        self.conn.execute(
            sa.update(sessions_t)
            .where(sessions_t.c.token_hash == token_hash)
            .values(last_seen_at=at)
        )

    def end(self, token_hash: str, at: datetime) -> None:
        self.conn.execute(
            sa.update(sessions_t)
            .where(sessions_t.c.token_hash == token_hash, sessions_t.c.ended_at.is_(None))
            .values(ended_at=at)
        )

    def end_all(self, user: str, at: datetime) -> int:
        result = self.conn.execute(
            sa.update(sessions_t)
            .where(sessions_t.c.user_name == user, sessions_t.c.ended_at.is_(None))
            .values(ended_at=at)
        )
        return int(result.rowcount)


class SqlAuditRepository(ports.AuditRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def add(self, entry: AuditEntry) -> None:
        self.conn.execute(
            sa.insert(audit_t).values(
                at=entry.at,
                kind=str(entry.kind),
                actor=entry.actor[:64],
                subject=entry.subject[:200],
                detail=entry.detail,
                ip=entry.ip[:64],
                channel=entry.channel[:16],
            )
        )

    def list(self, kind: str | None, page: int, per_page: int) -> Page[AuditEntry]:
        where = [audit_t.c.kind == kind] if kind else []
        total = self.conn.execute(
            sa.select(sa.func.count()).select_from(audit_t).where(*where)
        ).scalar_one()
        rows = self.conn.execute(
            sa.select(audit_t)
            .where(*where)
            .order_by(audit_t.c.at.desc(), audit_t.c.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).mappings()
        items = [
            AuditEntry(
                at=r["at"],
                kind=AuditKind(r["kind"]),
                actor=r["actor"],
                subject=r["subject"],
                detail=r["detail"],
                ip=r["ip"],
                channel=r["channel"],
                id=r["id"],
            )
            for r in rows
        ]
        return Page(items, int(total), page, per_page)
