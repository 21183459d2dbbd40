"""The checks of `caseflow verify` (engine.service.integrity) on what one case holds, on
the users and on the anchored chain heads: each yields the findings it makes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import zip_longest
from typing import Any

from engine.deadlines import LOCAL_TZ, HolidayCalendar, Pause, Period, Unit
from engine.domain.history import EventKind, HistoryEvent
from engine.domain.integrity import (
    Check,
    Finding,
    Replayed,
    UserLogEntry,
    content_hash,
    credential_digest,
    verify_user_log,
)
from engine.domain.procedure import CompiledProcedure
from engine.domain.roles import SYSTEM_USER
from engine.domain.timers import RunningTimer, TimerStatus, pauses_to_json, periods_to_json
from engine.service.ports import CaseRecord
from engine.service.read_models import StoredTimer


@dataclass
class Expected:
    """What the anchors say of one chain: seq -> the (hash, anchor line) pairs."""

    heads: dict[int, list[tuple[str, int]]] = field(default_factory=dict)

    def add(self, seq: int, digest: str, line: int) -> None:
        pairs = self.heads.setdefault(seq, [])
        if all(h != digest for h, _ in pairs):
            pairs.append((digest, line))


def check_documents(ref: str, record: CaseRecord) -> Iterator[Finding]:
    issued: dict[int, tuple[int, Mapping[str, Any]]] = {}
    for ev in record.events:
        for d in ev.payload.get("_documents") or []:
            issued[int(d["id"])] = (ev.seq, d)
    for doc in record.documents:
        entry = issued.pop(doc.id, None)
        if entry is None:
            yield Finding(ref, 0, f"文书 {doc.number} 没有签发记录", Check.DOCUMENT)
            continue
        seq, d = entry
        problems = []
        if doc.number != d.get("number"):
            problems.append(f"文号为 {doc.number}，签发记录为 {d.get('number')}")
        if doc.sha256 != d.get("sha256"):
            problems.append("正文哈希与签发记录不符")
        if _sha256(doc.html) != doc.sha256:
            problems.append("正文与其哈希不符（正文被改动）")
        if d.get("data_sha256") and content_hash(doc.data) != d["data_sha256"]:
            problems.append("文书数据与签发记录不符")
        if "number" in doc.data and doc.data["number"] != doc.number:
            problems.append("文书数据中的文号与文号不符")
        if problems:
            yield Finding(
                ref, seq, f"文书 {d.get('number')}：" + "；".join(problems), Check.DOCUMENT
            )
    for doc_id, (seq, d) in sorted(issued.items()):
        yield Finding(
            ref, seq, f"签发的文书 {d.get('number')}（编号 {doc_id}）不存在", Check.DOCUMENT
        )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_attachments(ref: str, record: CaseRecord) -> Iterator[Finding]:
    events = [e for e in record.events if e.kind is EventKind.ATTACHMENT]
    for ev, stored in zip_longest(events, record.attachments):
        if stored is None:
            assert ev is not None
            name = ev.payload.get("name")
            yield Finding(ref, ev.seq, f"登记的附件 {name} 不存在", Check.ATTACHMENT)
            continue
        att, actual_sha, actual_size = stored
        if ev is None:
            yield Finding(ref, 0, f"附件 {att.name} 没有登记记录", Check.ATTACHMENT)
            continue
        p = ev.payload
        problems = []
        if actual_sha != att.sha256 or actual_size != att.size:
            problems.append("内容与其哈希或大小不符（内容被改动）")
        if (att.name, att.sha256, att.size) != (p.get("name"), p.get("sha256"), p.get("size")):
            problems.append("名称、哈希或大小与登记记录不符（附件被替换）")
        elif actual_sha != p.get("sha256"):
            problems.append("内容与登记记录的哈希不符")
        if problems:
            yield Finding(ref, ev.seq, f"附件 {att.name}：" + "；".join(problems), Check.ATTACHMENT)


def _starts(entered: HistoryEvent) -> dict[str, tuple[datetime, Period | None]]:
    """When the entering event says each timer it started runs from, and its period (an
    event written before events recorded their timers has none: then the event's time and
    the declaration's period)."""
    return {
        str(t["name"]): (
            datetime.fromisoformat(str(t["started_at"])),
            Period(int(t["period"]["amount"]), Unit(t["period"]["unit"])),
        )
        for t in entered.payload.get("_timers") or []
    }


def _clock_after(
    events: Sequence[HistoryEvent], entered: HistoryEvent, name: str
) -> tuple[list[Pause], list[Period], bool]:
    """The pauses (中止) and extensions (延期) the events after ``entered`` made to timer
    ``name``, as engine.service.timer_effects.apply_clock_changes makes them."""
    pauses: list[Pause] = []
    extensions: list[Period] = []
    paused = False
    for ev in events[entered.seq :]:
        note = ev.payload.get("_clock") if ev.kind is EventKind.FIRED else None
        if not note:
            continue
        today = ev.at.astimezone(LOCAL_TZ).date()
        if note.get("extend") == name:
            by = note["by"]
            extensions.append(Period(int(by["amount"]), Unit(by["unit"])))
        elif note.get("pause") and not paused:
            pauses.append(Pause(today, None))
            paused = True
        elif note.get("resume") and paused:
            last = pauses.pop()
            pauses.append(Pause(last.start, max(today, last.start)))
            paused = False
    return pauses, extensions, paused


def check_timers(
    ref: str,
    record: CaseRecord,
    r: Replayed,
    compiled: CompiledProcedure,
    calendar: HolidayCalendar,
    settings: Any,
) -> Iterator[Finding]:
    state = r.state
    decls = (
        {t.name: t for t in compiled.states[state].timers}
        if state in compiled.states and r.closed_at is None
        else {}
    )
    entered = r.entered
    seq = entered.seq if entered else 0
    starts = _starts(entered) if entered is not None else {}
    current: set[str] = set()
    for t in record.timers:
        of_entry = (
            entered is not None
            and t.state == state
            and t.name in decls
            and t.started_at == starts.get(t.name, (entered.at, None))[0]
        )
        if of_entry:
            current.add(t.name)
        if t.status is TimerStatus.PENDING:
            if not of_entry:
                yield Finding(
                    ref,
                    seq,
                    f"期限「{t.label}」仍在计算，但办理记录未在当前状态起算它",
                    Check.TIMER,
                )
                continue
            assert entered is not None
            period = starts.get(t.name, (None, None))[1]
            problem = _running_problem(t, record.events, entered, period, decls, calendar, settings)
            if problem:
                yield Finding(ref, seq, f"期限「{t.label}」：{problem}", Check.TIMER)
        elif of_entry:
            assert entered is not None
            problem = _stopped_problem(t, record.events, entered)
            if problem:
                yield Finding(ref, seq, f"期限「{t.label}」：{problem}", Check.TIMER)
    for name, decl in decls.items():
        if name not in current:
            yield Finding(
                ref, seq, f"第 {seq} 条办理记录起算的期限「{decl.label}」不存在", Check.TIMER
            )


def _running_problem(
    t: StoredTimer,
    events: Sequence[HistoryEvent],
    entered: HistoryEvent,
    recorded: Period | None,
    decls: Mapping[str, Any],
    calendar: HolidayCalendar,
    settings: Any,
) -> str:
    period = recorded or decls[t.name].resolve_period(settings)
    if t.rule != period:
        return f"期间为 {t.period_amount} {t.period_unit}，办理记录为 {period.amount} {period.unit}"
    pauses, extensions, paused = _clock_after(events, entered, t.name)
    if (t.pauses or pauses) and t.pauses != pauses_to_json(pauses):
        return "中止或延期与办理记录不符"
    if (t.extensions or extensions) and t.extensions != periods_to_json(extensions):
        return "中止或延期与办理记录不符"
    if t.paused != paused:
        return "中止状态与办理记录不符"
    deadline = RunningTimer(period, t.started_at, tuple(pauses), tuple(extensions)).deadline(
        calendar
    )
    if t.last_day != deadline.last_day.isoformat() or t.due_at != deadline.ends_at:
        return f"届满日为 {t.last_day}，按办理记录计算应为 {deadline.last_day.isoformat()}"
    return ""


def _stopped_problem(t: StoredTimer, events: Sequence[HistoryEvent], entered: HistoryEvent) -> str:
    """A timer of the current state that no longer runs: only the sweep stops one, with
    an event (fired on expiry, or marked overdue)."""
    later = events[entered.seq :]
    if t.status is TimerStatus.FIRED:
        if any(e.actor == SYSTEM_USER and e.trigger == t.on_expiry for e in later):
            return ""
        return "已标记为届满办理，但办理记录中没有系统的届满办理"
    if t.status in (TimerStatus.EXPIRED, TimerStatus.ENDED_LATE):
        if any(e.kind is EventKind.OVERDUE and e.payload.get("timer") == t.name for e in later):
            return ""
        return "已标记为逾期，但办理记录中没有逾期记录"
    return "已被撤销，但案件仍在该状态"


def check_users(log: Sequence[UserLogEntry], users: Iterable[tuple[Any, str]]) -> Iterator[Finding]:
    broken, last = verify_user_log(log)
    if broken is not None:
        yield broken
        return
    for user, password_hash in users:
        entry = last.pop(user.name, None)
        if entry is None:
            yield Finding("", 0, f"用户 {user.name} 没有用户管理记录", Check.USER, user.name)
            continue
        problems = []
        if str(user.role) != entry.role:
            problems.append(f"角色为 {user.role.label}，用户管理日志为 {entry.role}")
        if user.unit != entry.unit:
            problems.append(f"单位为 {user.unit}，用户管理日志为 {entry.unit}")
        if user.active != entry.active:
            problems.append("启用状态与用户管理日志不符")
        if credential_digest(password_hash) != entry.credential:
            problems.append("密码与用户管理日志不符（密码被直接改动）")
        if problems:
            yield Finding("", entry.seq, "；".join(problems), Check.USER, user.name)
    for name, entry in sorted(last.items()):
        yield Finding("", entry.seq, f"用户 {name} 已从用户表中删除", Check.USER, name)


def against_anchors(
    ref: str, events: Sequence[HistoryEvent] | Sequence[UserLogEntry], exp: Expected, what: str
) -> Iterator[Finding]:
    """The first place the chain departs from what the anchors recorded of it."""
    hashes = {e.seq: e.hash for e in events}
    last = max(hashes, default=0)
    good = 0
    name = what or ""
    for seq in sorted(exp.heads):
        for digest, line in exp.heads[seq]:
            if seq > last:
                yield Finding(
                    ref,
                    last + 1,
                    f"{name}第 {line} 个锚点时共 {seq} 条记录，现仅 {last} 条："
                    f"第 {last + 1} 至 {seq} 条被删除",
                    Check.ANCHOR_TRUNCATED,
                )
                return
            if hashes.get(seq) != digest:
                where = (
                    f"第 {seq} 条记录"
                    if good + 1 == seq
                    else f"第 {good + 1} 至 {seq} 条之间的记录（第 {good} 条及以前与锚点相符）"
                )
                yield Finding(
                    ref,
                    good + 1,
                    f"{name}{where}与第 {line} 个锚点不符：锚定后被改动",
                    Check.ANCHOR_CHANGED,
                )
                return
        good = seq
