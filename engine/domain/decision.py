"""What a command on a case decides, as frozen values: the aggregate decides from its own
state, the service layer carries the decision out (numbers and renders the documents,
writes the timers, opens the linked case) and then records the outcome on the aggregate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.deadlines import Deadline, Period
from engine.domain.history import HistoryEvent
from engine.domain.procedure import Actor, DocumentDecl, LinkedCase
from engine.domain.timers import ClockChange


@dataclass(frozen=True)
class TimerRequest:
    """A timer a transition starts; persisted in the same transaction."""

    name: str
    label: str
    state: str
    on_expiry: str | None
    period: Period
    basis: str
    started_at: datetime
    deadline: Deadline
    reminders: tuple[int, ...]
    recorded_at: datetime | None = None
    """When the transition that started it ran (``started_at`` is the legal event the
    window runs from, which may be earlier): no reminder is due before it."""


@dataclass(frozen=True)
class DocumentRequest:
    """A document a transition issues, with what its template may use besides the case
    and the bureau (numbered and rendered by the service in the same transaction)."""

    decl: DocumentDecl
    context: Mapping[str, Any]


@dataclass(frozen=True)
class Decision:
    """The outcome of firing a trigger on a case, decided but not yet applied."""

    trigger: str
    label: str
    actor: Actor
    at: datetime
    source: str
    dest: str
    payload: Mapping[str, Any]
    """The validated payload, as JSON."""
    reason: str
    recorded: Mapping[str, Any]
    """The data the trigger records (merged into the case's data), clock bookkeeping
    included."""
    data_after: Mapping[str, Any]
    """The case's data once ``recorded`` is merged (what the documents state)."""
    clock_note: Mapping[str, Any]
    timers_cancelled: tuple[str, ...]
    """States whose running timers stop (the state the case leaves)."""
    timers_started: tuple[TimerRequest, ...]
    clock_changes: tuple[ClockChange, ...]
    documents: tuple[DocumentRequest, ...]
    opens_case: LinkedCase | None
    closes: bool

    @property
    def state_changed(self) -> bool:
        return self.dest != self.source


@dataclass(frozen=True)
class IssuedRef:
    """What the history records of a document a transition issued."""

    id: int
    kind: str
    number: str
    sha256: str
    data_sha256: str = ""
    """The canonical hash of the document's frozen data (engine.domain.history.event_hash),
    so `verify` can tell the stored data is what was issued."""

    def as_json(self) -> dict[str, Any]:
        found = {"id": self.id, "kind": self.kind, "number": self.number, "sha256": self.sha256}
        if self.data_sha256:
            found["data_sha256"] = self.data_sha256
        return found


@dataclass(frozen=True)
class Opening:
    """A case just opened: its first history event and the timers its initial state
    starts (the service persists all three in one transaction)."""

    event: HistoryEvent
    timers: tuple[TimerRequest, ...]
