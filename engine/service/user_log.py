"""Writing the user-administration log: every change to a user (added, enabled, disabled,
role, unit, password set or changed) appends the user as it now stands, in the same
transaction as the change, so `caseflow verify` can tell a role, an account's state or a
password changed in the database without it."""

from __future__ import annotations

from datetime import datetime

from engine.domain.auth import AuditKind
from engine.domain.errors import UnknownUser
from engine.domain.integrity import UserLogEntry, credential_digest
from engine.service.ports import AbstractUnitOfWork


def log_user(
    uow: AbstractUnitOfWork, action: AuditKind, actor: str, name: str, at: datetime
) -> UserLogEntry:
    """Append ``name`` as it stands in this unit of work, changed by ``actor``."""
    user = uow.users.get(name)
    if user is None:
        raise UnknownUser(name)
    creds = uow.users.credentials(name)
    return uow.user_log.append(
        UserLogEntry(
            seq=0,
            at=at,
            actor=actor,
            user_name=user.name,
            action=str(action),
            role=str(user.role),
            unit=user.unit,
            active=user.active,
            credential=credential_digest(creds.password_hash if creds else ""),
        )
    )
