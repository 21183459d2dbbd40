"""Case commands on the in-memory store: one transaction each, the decision carried out
(timers, documents, the linked case), the role checks, optimistic locking."""

from __future__ import annotations

import pytest

from engine.adapters.clock import FixedClock
from engine.bootstrap import App, build_services
from engine.domain.errors import (
    InvalidInput,
    NotPermitted,
    TriggerNotAllowed,
    UnknownUser,
    VersionConflict,
)
from engine.domain.history import EventKind, event_hash, verify_chain
from engine.service.context import actor_of
from engine.service.locking import load
from tests.fakes import FakeStore
from tests.shared import START
from tests.unit.service._flows import complaint, to_payment_ordered
from tests.unit.workflows._harness import county, registry, renderer


def test_open_makes_the_opener_the_assignee_and_starts_the_intake_window(app: App) -> None:
    case = complaint(app)
    assert case.ref == "WA2026-0001" and case.version == 1
    assert case.assignees == ["wang"] and case.unit == "县劳动保障监察大队"
    view = app.queries.get_case(case.ref)
    assert [t.name for t in view.timers] == ["intake_decision"]
    assert [str(e.kind) for e in app.queries.history(case.ref)] == ["opened"]
    assert complaint(app).ref == "WA2026-0002"


def test_only_inspectors_and_supervisors_open_cases(app: App) -> None:
    with pytest.raises(NotPermitted, match="登记案件"):
        complaint(app, actor="zhou")
    with pytest.raises(UnknownUser):
        complaint(app, actor="nobody")


def test_fire_moves_the_case_and_swaps_the_state_timers(app: App, clock: FixedClock) -> None:
    case = to_payment_ordered(app, clock)
    assert case.state == "payment_ordered" and case.version == 6
    [timer] = app.queries.get_case(case.ref).timers
    assert timer.name == "payment_deadline"
    [doc] = app.queries.get_case(case.ref).documents
    assert doc.number == "定人社监令〔2026〕1号" and doc.kind == "rectification_order"
    last = app.queries.history(case.ref)[-1]
    assert last.payload["_documents"] == [
        {
            "id": doc.id,
            "kind": doc.kind,
            "number": doc.number,
            "sha256": doc.sha256,
            "data_sha256": event_hash(doc.data),
        }
    ]
    assert verify_chain(case.ref, app.queries.history(case.ref)) is None


def test_a_refused_trigger_changes_nothing(app: App) -> None:
    case = complaint(app)
    with pytest.raises(TriggerNotAllowed):
        app.cases.fire(case.ref, "order_payment", {}, actor="wang")
    with pytest.raises(NotPermitted):
        app.cases.fire(case.ref, "accept", {}, actor="sun")
    again = app.queries.get_case(case.ref).case
    assert again.version == 1 and again.state == "registered"


def test_a_stale_version_is_refused_before_anything_is_evaluated(app: App) -> None:
    case = complaint(app)
    app.cases.fire(case.ref, "accept", {}, actor="wang")
    with pytest.raises(VersionConflict, match="第 1 版"):
        app.cases.add_note(case.ref, "迟到的备注", actor="wang", expected_version=1)


def test_two_writers_of_one_version_one_wins(app: App) -> None:
    case = complaint(app)
    ctx = app.context
    with ctx.uow() as first, ctx.uow() as second:
        a, va = load(first, case.ref, None)
        b, vb = load(second, case.ref, None)
        app.cases.fire_in(first, a, va, "accept", {}, actor_of(first, "wang"), "", ctx.clock.now())
        first.commit()
        with pytest.raises(VersionConflict):
            who = actor_of(second, "li")
            app.cases.fire_in(second, b, vb, "accept", {}, who, "", ctx.clock.now())
    assert app.queries.get_case(case.ref).case.version == 2


class Boom(RuntimeError):
    pass


class FailingRenderer:
    def render(self, template: str, data: object) -> str:
        raise Boom("render failed")

    def exists(self, template: str) -> bool:
        return renderer().exists(template)

    def fields(self, template: str) -> None:
        return None  # keep all the data: it fails to render anyway


def test_a_failed_command_gives_its_document_number_back(app: App, clock: FixedClock) -> None:
    store = app.context.uow
    broken = build_services(
        store, clock=clock, county=county(), renderer=FailingRenderer(), registry=registry()
    )
    first, second = complaint(app), complaint(app)
    with pytest.raises(Boom):
        broken.cases.fire(first.ref, "reject", {"ground": "不属于本局管辖"}, actor="wang")
    assert app.queries.get_case(first.ref).case.state == "registered"
    app.cases.fire(second.ref, "reject", {"ground": "不属于本局管辖"}, actor="wang")
    [doc] = app.queries.get_case(second.ref).documents
    assert doc.number == "定人社监不受〔2026〕1号"


def test_assign_needs_a_supervisor_and_inspectors(app: App) -> None:
    case = complaint(app)
    with pytest.raises(NotPermitted, match="指派承办人"):
        app.cases.assign(case.ref, ["li"], actor="wang")
    with pytest.raises(InvalidInput, match="不是监察员"):
        app.cases.assign(case.ref, ["chen"], actor="chen")
    with pytest.raises(UnknownUser):
        app.cases.assign(case.ref, ["ghost"], actor="chen")
    done = app.cases.assign(case.ref, ["li", "zhao"], actor="chen", reason="调整")
    assert done.assignees == ["li", "zhao"]
    assert app.queries.search().items[0].summary.assignees == ["li", "zhao"]


def test_notes_and_attachments_are_recorded_with_their_hash(app: App) -> None:
    case = complaint(app)
    app.cases.add_note(case.ref, "电话联系承包人未果", actor="wang")
    app.cases.add_attachment(case.ref, "照片.jpg", b"jpeg bytes", actor="wang", note="现场")
    [att] = app.queries.get_case(case.ref).attachments
    assert app.queries.attachment_content(att.id) == b"jpeg bytes"
    kinds = [e.kind for e in app.queries.history(case.ref)]
    assert kinds == [EventKind.OPENED, EventKind.NOTE, EventKind.ATTACHMENT]
    with pytest.raises(InvalidInput, match="空文件"):
        app.cases.add_attachment(case.ref, "空.txt", b"", actor="wang")
    with pytest.raises(InvalidInput, match="不能为空"):
        app.cases.add_note(case.ref, "  ", actor="wang")


def test_a_transition_that_opens_a_linked_case_records_it_both_ways(
    app: App, clock: FixedClock
) -> None:
    case = to_payment_ordered(app, clock)
    after = app.cases.fire(case.ref, "advise_arbitration", actor="li")
    [child_ref] = after.data["linked_cases"]
    child = app.queries.get_case(child_ref).case
    assert child.procedure == "arbitration_referral"
    assert child.data["linked_from"] == case.ref
    assert child.assignees == ["wang", "li"]
    opened = app.queries.history(child_ref)[0]
    assert opened.payload["assignees"] == ["wang", "li"]
    assert app.queries.history(case.ref)[-1].payload["_linked"] == [child_ref]


def test_services_run_on_any_unit_of_work() -> None:
    store = FakeStore()
    services = build_services(
        store,
        clock=FixedClock(START),
        county=county(),
        renderer=renderer(),
    )
    services.users.add_user("admin", "admin", "县人社局办公室", actor=None)
    assert [u.name for u in services.users.users()] == ["admin"]
    assert store.commits == 1
