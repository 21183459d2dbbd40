"""Signing in, sessions, lock-out, password changes and user administration on the
in-memory store; every event in the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.domain.auth import AccountLocked, AuditKind, SignInFailed
from engine.domain.errors import InvalidInput, NotPermitted, UnknownUser
from engine.service.auth import Client
from tests.shared import CONTRACTOR

WEB = Client(ip="10.0.0.8", user_agent="test", channel="web")


@pytest.fixture
def signed(app: App) -> App:
    app.users.reset_password("wang", actor="admin", password="wang2026ok")
    return app


def _kinds(app: App) -> list[AuditKind]:
    return [e.kind for e in app.auth.audit_log(actor="admin", per_page=100).items]


def test_sign_in_with_a_one_time_password_asks_for_a_new_one(signed: App) -> None:
    session = signed.auth.sign_in("wang", "wang2026ok", WEB)
    assert session.must_change_password and session.user.name == "wang"
    current = signed.auth.current(session.token, WEB)
    assert current is not None and current.must_change_password
    fresh = signed.auth.change_password(current, "wang2026ok", "newpass2026", WEB)
    assert signed.auth.current(session.token, WEB) is None  # the old session ended
    again = signed.auth.current(fresh.token, WEB)
    assert again is not None and not again.must_change_password
    assert AuditKind.PASSWORD_CHANGED in _kinds(signed)


def test_wrong_password_and_unknown_name_say_the_same(signed: App) -> None:
    with pytest.raises(SignInFailed) as wrong:
        signed.auth.sign_in("wang", "nope", WEB)
    with pytest.raises(SignInFailed) as unknown:
        signed.auth.sign_in("ghost", "nope", WEB)
    assert wrong.value.message == unknown.value.message == "用户名或密码错误"
    assert _kinds(signed)[:2] == [AuditKind.SIGN_IN_FAILED, AuditKind.SIGN_IN_FAILED]


def test_five_failures_lock_the_account_for_fifteen_minutes(signed: App, clock: FixedClock) -> None:
    for _ in range(5):
        with pytest.raises(SignInFailed):
            signed.auth.sign_in("wang", "wrong-password", WEB)
    with pytest.raises(AccountLocked, match="账户已锁定"):
        signed.auth.sign_in("wang", "wang2026ok", WEB)  # even the right password
    assert AuditKind.LOCKED_OUT in _kinds(signed)
    clock.set(clock.now() + timedelta(minutes=16))
    assert signed.auth.sign_in("wang", "wang2026ok", WEB).user.name == "wang"


def test_sessions_expire_when_idle_and_at_their_absolute_end(
    signed: App, clock: FixedClock
) -> None:
    token = signed.auth.sign_in("wang", "wang2026ok", WEB).token
    clock.set(clock.now() + timedelta(minutes=29))
    assert signed.auth.current(token, WEB) is not None
    clock.set(clock.now() + timedelta(minutes=31))
    assert signed.auth.current(token, WEB) is None
    assert AuditKind.SESSION_EXPIRED in _kinds(signed)
    token = signed.auth.sign_in("wang", "wang2026ok", WEB).token
    for _ in range(25):  # busy all day: 25 × 29 minutes > 12 hours
        clock.set(clock.now() + timedelta(minutes=29))
        alive = signed.auth.current(token, WEB)
    assert alive is None


def test_sign_out_really_ends_the_session(signed: App) -> None:
    token = signed.auth.sign_in("wang", "wang2026ok", WEB).token
    current = signed.auth.current(token, WEB)
    assert current is not None
    signed.auth.sign_out(current, WEB)
    assert signed.auth.current(token, WEB) is None


def test_a_disabled_user_is_signed_out_and_cannot_sign_in(signed: App) -> None:
    token = signed.auth.sign_in("wang", "wang2026ok", WEB).token
    signed.users.set_active("wang", False, actor="admin")
    assert signed.auth.current(token, WEB) is None
    with pytest.raises(SignInFailed):
        signed.auth.sign_in("wang", "wang2026ok", WEB)
    with pytest.raises(UnknownUser):
        signed.cases.open_case(
            procedure="wage_arrears",
            subject=CONTRACTOR,
            source="投诉",
            actor="wang",
        )
    signed.users.set_active("wang", True, actor="admin")
    assert signed.auth.sign_in("wang", "wang2026ok", WEB).user.name == "wang"


def test_only_the_admin_administers_and_never_the_last_admin_away(app: App) -> None:
    with pytest.raises(NotPermitted):
        app.users.set_role("wang", "head", actor="chen")
    with pytest.raises(InvalidInput, match="自己"):
        app.users.set_active("admin", False, actor="admin")
    with pytest.raises(InvalidInput, match="自己的角色"):
        app.users.set_role("admin", "head", actor="admin")
    assert app.users.set_unit("zhao", "县社会保险基金监督股", actor="admin").unit.endswith("股")
    assert app.users.set_role("zhao", "supervisor", actor="admin").role.label == "科（队）长"
    kinds = _kinds(app)
    assert kinds[:2] == [AuditKind.ROLE_CHANGED, AuditKind.UNIT_CHANGED]
    with pytest.raises(NotPermitted):
        app.auth.audit_log(actor="wang")


def test_passwords_must_be_reasonable(app: App) -> None:
    for bad, why in [("short1", "至少"), ("onlyletters", "字母和数字"), ("12345678", "字母和数字")]:
        with pytest.raises(InvalidInput, match=why):
            app.users.reset_password("wang", actor="admin", password=bad)
    generated = app.users.reset_password("wang", actor="admin")
    assert len(generated) == 12
