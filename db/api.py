"""SQL repositories of the JSON API's records: API tokens and idempotency keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError

from db.tables import ApiTokenRow, IdempotencyKeyRow
from engine.service import api_ports
from engine.service.api_ports import ApiToken, IdempotencyRecord

tokens_t: sa.Table = ApiTokenRow.__table__  # type: ignore[attr-defined]
keys_t: sa.Table = IdempotencyKeyRow.__table__  # type: ignore[attr-defined]


def _token(r: RowMapping) -> ApiToken:
    return ApiToken(
        id=r["id"],
        user=r["user_name"],
        label=r["label"],
        prefix=r["prefix"],
        created_at=r["created_at"],
        created_by=r["created_by"],
        last_used_at=r["last_used_at"],
        revoked_at=r["revoked_at"],
    )


class SqlApiTokenRepository(api_ports.ApiTokenRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def add(
        self, *, user: str, label: str, token_hash: str, prefix: str, at: datetime, by: str
    ) -> int:
        result = self.conn.execute(
            sa.insert(tokens_t).values(
                user_name=user,
                label=label,
                token_hash=token_hash,
                prefix=prefix,
                created_at=at,
                created_by=by,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def _one(self, where: sa.ColumnElement[bool]) -> ApiToken | None:
        r = self.conn.execute(sa.select(tokens_t).where(where)).mappings().first()
        return _token(r) if r else None

    def by_hash(self, token_hash: str) -> ApiToken | None:
        return self._one(tokens_t.c.token_hash == token_hash)

    def get(self, token_id: int) -> ApiToken | None:
        return self._one(tokens_t.c.id == token_id)

    def list(self, user: str | None = None) -> list[ApiToken]:
        query = sa.select(tokens_t).order_by(tokens_t.c.id)
        if user is not None:
            query = query.where(tokens_t.c.user_name == user)
        return [_token(r) for r in self.conn.execute(query).mappings()]

    def revoke(self, token_id: int, at: datetime) -> None:
        self.conn.execute(
            sa.update(tokens_t).where(tokens_t.c.id == token_id).values(revoked_at=at)
        )

    def touch(self, token_id: int, at: datetime) -> None:
        self.conn.execute(
            sa.update(tokens_t).where(tokens_t.c.id == token_id).values(last_used_at=at)
        )


def _key(user: str, key: str) -> sa.ColumnElement[bool]:
    return sa.and_(keys_t.c.user_name == user, keys_t.c.key == key)


class SqlIdempotencyRepository(api_ports.IdempotencyRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def reserve(self, user: str, key: str, fingerprint: str, at: datetime) -> bool:
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    sa.insert(keys_t).values(
                        user_name=user,
                        key=key,
                        fingerprint=fingerprint,
                        status=0,
                        response={},
                        created_at=at,
                    )
                )
        except IntegrityError:  # the primary key (user, key) is taken
            return False
        return True

    def get(self, user: str, key: str) -> IdempotencyRecord | None:
        r = self.conn.execute(sa.select(keys_t).where(_key(user, key))).mappings().first()
        if r is None:
            return None
        return IdempotencyRecord(
            user=r["user_name"],
            key=r["key"],
            fingerprint=r["fingerprint"],
            created_at=r["created_at"],
            status=r["status"],
            response=dict(r["response"] or {}),
        )

    def complete(self, user: str, key: str, status: int, response: dict[str, Any]) -> None:
        self.conn.execute(
            sa.update(keys_t).where(_key(user, key)).values(status=status, response=response)
        )

    def release(self, user: str, key: str) -> None:
        self.conn.execute(sa.delete(keys_t).where(_key(user, key)))
