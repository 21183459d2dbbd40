"""`caseflow verify`: everything in a case file checked against its hash-chained history,
in one streaming pass over the cases (batches of consecutive ids), and the history checked
against the anchors written outside the database; `caseflow anchor`: the chain heads'
Merkle root appended to the anchor file.

Per case:
- the chain itself (engine.domain.history.verify_chain); a broken chain stops the other
  checks of that case, which trust the history;
- the case row against the replay of its history (state, version, data, assignees, the
  overdue flag, the closing time, the head);
- every document against the event that issued it (number, HTML hash, data hash), its
  HTML against its stored hash, and every issued document still there;
- every attachment's bytes against their stored SHA-256 and size and against the event
  that recorded it (so bytes replaced together with their hash show too);
- the timers against the history: every running timer belongs to the state the history
  left the case in, runs from the event that entered it with the period that event
  recorded, has the pauses and extensions the later events made, and ends on the day the
  deadline arithmetic gives (with today's holiday calendar); a timer of the current state
  that is gone, or stopped without the event that stops it, shows too.

Then the users against the user-administration log (role, unit, active, password), and,
with anchors, every anchored chain head against the history: changed, cut short, or the
case gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.adapters.anchors import Anchor, BadLine, append_anchor, make_anchor, read_anchors
from engine.deadlines import HolidayCalendar
from engine.domain.errors import FileProblem, UnknownProcedure
from engine.domain.history import verify_chain
from engine.domain.integrity import (
    USER_LOG_LEAF,
    Check,
    Finding,
    Leaf,
    UserLogEntry,
    replay,
    row_mismatches,
)
from engine.service.context import ServiceContext
from engine.service.integrity_checks import (
    Expected,
    against_anchors,
    check_attachments,
    check_documents,
    check_timers,
    check_users,
)
from engine.service.ports import CaseRecord

BATCH = 1000


@dataclass(frozen=True)
class IntegrityReport:
    checked: int
    broken: list[Finding]
    users: int = 0
    anchors: int = 0
    """How many anchors the history was checked against."""
    unreplayable: int = 0
    """Cases whose data could not be replayed (events from before ``_data``)."""

    @property
    def ok(self) -> bool:
        return not self.broken


class IntegrityService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- verify ---------------------------------------------------------------------------

    def verify(self, anchors: Path | None = None) -> IntegrityReport:
        findings: list[Finding] = []
        expected: dict[str, Expected] = {}
        anchored = 0
        if anchors is not None:
            anchored = self._load_anchors(anchors, expected, findings)
        checked = unreplayable = 0
        settings = self.ctx.county.settings
        with self.ctx.uow(readonly=True) as uow:
            calendar = self.ctx.calendar(uow)
            for batch in uow.integrity.case_batches(BATCH):
                for record in batch:
                    checked += 1
                    found, replayable = self._check_case(record, calendar, settings)
                    findings.extend(found)
                    unreplayable += not replayable
                    exp = expected.pop(record.case.ref, None)
                    if exp is not None:
                        findings.extend(against_anchors(record.case.ref, record.events, exp, ""))
            log = list(uow.user_log.entries())
            users = uow.integrity.users()
        findings.extend(check_users(log, users))
        user_exp = expected.pop(USER_LOG_LEAF, None)
        if user_exp is not None:
            findings.extend(against_anchors("", log, user_exp, "用户管理日志"))
        for ref, exp in sorted(expected.items()):
            seq = max(exp.heads)
            line = exp.heads[seq][0][1]
            findings.append(
                Finding(
                    ref,
                    seq,
                    f"案件已不存在（第 {line} 个锚点时有 {seq} 条办理记录）",
                    Check.ANCHOR_DELETED,
                )
            )
        return IntegrityReport(checked, findings, len(users), anchored, unreplayable)

    def _load_anchors(
        self, path: Path, expected: dict[str, Expected], findings: list[Finding]
    ) -> int:
        count = 0
        try:
            for item in read_anchors(path):
                if isinstance(item, BadLine):
                    findings.append(Finding("", item.line, item.problem, Check.ANCHOR_FILE))
                    continue
                count += 1
                for leaf in item.leaves:
                    expected.setdefault(leaf.ref, Expected()).add(leaf.seq, leaf.hash, item.line)
        except OSError as exc:
            raise FileProblem("锚点文件", exc) from exc
        return count

    def _check_case(
        self, record: CaseRecord, calendar: HolidayCalendar, settings: Any
    ) -> tuple[list[Finding], bool]:
        case = record.case
        ref = case.ref
        if not record.events:
            return [Finding(ref, 1, "案件没有任何办理记录", Check.CHAIN)], True
        link = verify_chain(ref, record.events)
        if link is not None:
            return [Finding(ref, link.seq, link.problem, Check.CHAIN)], True
        try:
            compiled = self.ctx.registry.get(case.procedure, case.procedure_version)
        except UnknownProcedure:
            problem = f"办理程序 {case.procedure}@{case.procedure_version} 不存在"
            return [Finding(ref, 0, problem, Check.CASE_ROW)], True
        r = replay(record.events, lambda s: s in compiled.states and compiled.states[s].final)
        found: list[Finding] = []
        row = {
            "state": case.state,
            "version": case.version,
            "data": case.data,
            "assignees": case.assignees,
            "last_seq": case.last_seq,
            "last_hash": case.last_hash,
            "overdue": case.overdue,
            "closed_at": case.closed_at,
        }
        differences = row_mismatches(row, r)
        if differences:
            found.append(Finding(ref, r.last_seq, "；".join(differences), Check.CASE_ROW))
        found.extend(check_documents(ref, record))
        found.extend(check_attachments(ref, record))
        found.extend(check_timers(ref, record, r, compiled, calendar, settings))
        return found, r.data_known

    # -- anchor ---------------------------------------------------------------------------

    def heads(self) -> list[Leaf]:
        """Every chain's head, and the user-administration log's, for an anchor."""
        leaves: list[Leaf] = []
        with self.ctx.uow(readonly=True) as uow:
            leaves.extend(Leaf(*head) for head in uow.integrity.heads())
            last: UserLogEntry | None = None
            for entry in uow.user_log.entries():
                last = entry
        if last is not None:
            leaves.append(Leaf(USER_LOG_LEAF, last.seq, last.hash))
        return leaves

    def anchor(self, path: Path) -> Anchor:
        """Append the current chain heads' Merkle root to the anchor file at ``path``."""
        anchor = make_anchor(self.ctx.clock.now(), self.heads())
        try:
            return append_anchor(path, anchor)
        except OSError as exc:
            raise FileProblem("锚点文件", exc) from exc
