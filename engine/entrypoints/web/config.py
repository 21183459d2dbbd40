"""The web application's settings, from the environment (README, Configuration)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta

from engine.domain.auth import SessionPolicy
from engine.domain.errors import InvalidInput

SESSION_COOKIE = "caseflow_session"
LOGIN_COOKIE = "caseflow_login"
FLASH_COOKIE = "caseflow_flash"


def _number(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(name, f"应为整数，实际为「{raw}」") from None
    if not low <= value <= high:
        raise InvalidInput(name, f"应在 {low} 到 {high} 之间，实际为 {value}")
    return value


@dataclass(frozen=True)
class WebConfig:
    cookie_secure: bool = False
    """Send the session cookie only over HTTPS (set when served behind TLS)."""
    sessions: SessionPolicy = field(default_factory=SessionPolicy)
    render_pdf_on_request: bool = True
    """Render a PDF the worker has not rendered yet when someone asks for it."""

    @classmethod
    def from_env(cls) -> WebConfig:
        secure = os.environ.get("CASEFLOW_COOKIE_SECURE", "").strip().lower()
        idle = _number("CASEFLOW_SESSION_IDLE_MINUTES", 30, 1, 24 * 60)
        absolute = _number("CASEFLOW_SESSION_MAX_HOURS", 12, 1, 24 * 30)
        return cls(
            cookie_secure=secure in {"1", "true", "yes", "on"},
            sessions=SessionPolicy(
                idle=timedelta(minutes=idle), absolute=timedelta(hours=absolute)
            ),
        )
