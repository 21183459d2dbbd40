"""Driving cases end to end through the public API: the case commands and queries, the
sweep and a FixedClock moved by the test, as a bureau would over days and weeks."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.deadlines import LOCAL_TZ
from engine.domain.case import Case
from engine.domain.subject import Subject
from engine.service.case_commands import CaseCommands
from engine.service.case_queries import CaseQueries, CaseView
from engine.service.sweep import Sweeper, SweepResult

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden" / "notices"
DUMP_ENV = "CASEFLOW_DUMP_GOLDEN_INPUTS"
THEIRS = {"rectification_order", "arbitration_advice", "extension_approval", "not_accepted_notice"}
"""Golden inputs another template owner maintains; never overwritten from here."""


def subject(name: str, address: str, code: str) -> Subject:
    return Subject.create(name, address, code)


@dataclass
class Bureau:
    """The bureau at work: its service, the clock it runs on, and the sweep."""

    app: App
    clock: FixedClock

    @property
    def cases(self) -> CaseCommands:
        return self.app.cases

    @property
    def queries(self) -> CaseQueries:
        return self.app.queries

    @property
    def sweeper(self) -> Sweeper:
        return self.app.sweeper

    def today(self) -> str:
        return self.clock.now().astimezone(LOCAL_TZ).date().isoformat()

    def later(self, days: float = 0, hours: float = 0) -> None:
        self.clock.set(self.clock.now() + timedelta(days=days, hours=hours))

    def open(
        self,
        procedure: str,
        party: Subject,
        source: str,
        *,
        matter: str = "",
        actor: str = "wang",
        data: Mapping[str, Any] | None = None,
    ) -> str:
        case: Case = self.cases.open_case(
            procedure=procedure, subject=party, source=source, actor=actor, matter=matter, data=data
        )
        return case.ref

    def fire(
        self,
        ref: str,
        trigger: str,
        payload: Mapping[str, Any] | None = None,
        *,
        actor: str = "wang",
        reason: str = "",
    ) -> Case:
        case: Case = self.cases.fire(ref, trigger, payload, actor=actor, reason=reason)
        return case

    def assign(self, ref: str, *inspectors: str) -> None:
        self.cases.assign(ref, list(inspectors), actor="chen", reason="执法须两名监察员")

    def attach(self, ref: str, name: str, content: bytes, note: str = "") -> dict[str, str]:
        self.cases.add_attachment(ref, name, content, actor="wang", note=note)
        [stored] = [a for a in self.view(ref).attachments if a.name == name]
        kind = "video" if name.endswith(".mp4") else "photo"
        return {"name": stored.name, "sha256": stored.sha256, "kind": kind}

    def view(self, ref: str) -> CaseView:
        view: CaseView = self.queries.get_case(ref)
        return view

    def state(self, ref: str) -> str:
        return self.view(ref).case.state

    def data(self, ref: str) -> dict[str, Any]:
        return dict(self.view(ref).case.data)

    def sweep(self) -> SweepResult:
        return self.sweeper.sweep()

    def until_expiry(self, ref: str, timer: str) -> SweepResult:
        """Let the clock run past a timer's deadline and sweep, as the worker would."""
        [t] = [t for t in self.view(ref).timers if t.name == timer]
        self.clock.set(t.due_at + timedelta(minutes=1))
        return self.sweep()

    def documents(self, ref: str) -> list[str]:
        return [d.kind for d in self.view(ref).documents]

    def referrals(self, ref: str) -> list[tuple[str, str, str]]:
        """(department, kind, status) of each referral the case made."""
        return [
            (r["department"], r["kind"], r["status"]) for r in self.data(ref).get("referrals", [])
        ]

    def dump_golden_inputs(self, ref: str) -> None:
        """With CASEFLOW_DUMP_GOLDEN_INPUTS=1, store each document's data as the golden input of
        its template (tests/golden/notices), unless one exists (see templates/notices/README)."""
        if os.environ.get(DUMP_ENV) != "1":
            return
        for doc in self.view(ref).documents:
            stem = doc.template.removesuffix(".html.j2")
            path = GOLDEN_DIR / f"{stem}.json"
            if stem in THEIRS or path.exists():
                continue
            text = json.dumps(doc.data, ensure_ascii=False, indent=2, sort_keys=False)
            path.write_text(text + "\n", encoding="utf-8")
