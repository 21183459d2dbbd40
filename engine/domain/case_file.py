"""Who may write into a case file outside the procedure's triggers — notes and attachments:
the same people who act in the case (DESIGN.md, the web application; issue: case-file
permissions). The inspectors assigned to it, the supervisors of its unit, the head, and a
legal reviewer while the case waits for their review or once they have reviewed it. The admin
manages users and calendars and never writes into a case file; nor does the system.
"""

from __future__ import annotations

from collections.abc import Collection

from engine.domain.case import Case
from engine.domain.errors import CaseflowError, NotPermitted
from engine.domain.roles import Role
from engine.domain.users import User

WRITERS = "本案承办人、本单位科（队）长、局长，或正在审核（或已审核）本案的法制审核员"


class NotInCaseFile(NotPermitted):
    """Someone who may see a case but not write into its file."""

    code = "CASE_FILE_NOT_PERMITTED"

    def __init__(self, user: User, case_ref: str, action: str) -> None:
        # A NotPermitted (403 on the web and API) with its own message: CaseflowError's own
        # constructor, as NotPermitted's words a missing role.
        who = f"用户 {user.name}（{user.role.label}）"
        CaseflowError.__init__(
            self,
            f"{who}不能在案件 {case_ref} 中{action}：只有{WRITERS}可以",
            user=user.name,
            role=user.role.label,
            action=action,
            needed=[WRITERS],
            case=case_ref,
        )


def may_write(
    user: User,
    case: Case,
    review_states: Collection[tuple[str, str]],
    actors: Collection[str] = (),
) -> bool:
    """``actors``: who the case's history names (a legal reviewer who reviewed it)."""
    if not user.active:
        return False
    if user.role is Role.HEAD:
        return True
    if user.role is Role.SUPERVISOR:
        return case.unit == user.unit
    if user.role is Role.INSPECTOR:
        return user.name in case.assignees
    if user.role is Role.LEGAL:
        return (case.procedure, case.state) in review_states or user.name in actors
    return False


def require_writer(
    user: User,
    case: Case,
    review_states: Collection[tuple[str, str]],
    action: str,
    actors: Collection[str] = (),
) -> None:
    if not may_write(user, case, review_states, actors):
        raise NotInCaseFile(user, case.ref, action)
