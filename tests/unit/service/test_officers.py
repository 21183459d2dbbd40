"""What documents print of the people in a case, on the in-memory store: an officer without a
执法证号 stops the document (nothing issued, nothing half-written, the admin told what to
fix); a user the payload names by login (the hearing's host) is printed by full name, and a
name that is no user is a clear error, not a blank."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.service.issuing import DocumentDataMissing, OfficerIncomplete
from tests.fakes import FakeStore
from tests.shared import WAGE_FINDINGS
from tests.unit.service._flows import complaint


def _investigating(app: App, clock: FixedClock) -> str:
    ref = complaint(app).ref
    app.cases.fire(ref, "accept", {"summary": "符合受理条件"}, actor="wang")
    app.cases.assign(ref, ["wang", "li"], actor="chen")
    app.cases.fire(ref, "start_investigation", actor="wang")
    clock.set(clock.now() + timedelta(days=10))
    app.cases.fire(ref, "record_findings", WAGE_FINDINGS, actor="li")
    return ref


def test_an_officer_without_a_certificate_stops_the_document(app: App, clock: FixedClock) -> None:
    ref = _investigating(app, clock)
    app.users.edit("li", actor="admin", cert_no="")
    version = app.queries.get_case(ref).case.version
    with pytest.raises(OfficerIncomplete, match="李秀梅（li） 没有登记执法证号"):
        app.cases.fire(ref, "order_payment", {}, actor="wang")
    view = app.queries.get_case(ref)
    assert view.case.version == version and view.documents == []
    app.users.edit("li", actor="admin", cert_no="46902520190047")
    app.cases.fire(ref, "order_payment", {}, actor="wang")
    [order] = app.queries.get_case(ref).documents
    html = app.documents.render(order.id, "html").content.decode()
    assert "李秀梅（执法证号：46902520190047）" in html


def test_the_hearing_host_by_full_name(app: App, clock: FixedClock) -> None:
    ref = _investigating(app, clock)
    store = app.context.uow
    assert isinstance(store, FakeStore)
    case = store.state.cases[ref]
    case.state = "hearing_requested"
    asked = {"requested_on": clock.now().date().isoformat()}
    filed = case.data.get("accepted_on") or clock.now().date().isoformat()
    case.data["penalty"] = {"hearing_right": True, "hearing_request": asked, "filed_on": filed}
    day = (clock.now() + timedelta(days=14)).date().isoformat()
    hearing = {"hearing_on": day, "place": "本局听证室", "host": "nobody"}
    with pytest.raises(DocumentDataMissing, match="听证通知书"):
        app.cases.fire(ref, "schedule_hearing", hearing, actor="wang")
    app.cases.fire(ref, "schedule_hearing", {**hearing, "host": "sun"}, actor="wang")
    notice = app.queries.get_case(ref).documents[-1]
    html = app.documents.render(notice.id, "html").content.decode()
    assert "非本案调查人员孙丽主持" in html and "sun" not in html
