"""Recording the service of a document (送达) and its 送达回证, on the in-memory store: each
method with its proof, the date checked against the document and today, the photos named as
attachments of the case, internal documents refused, nothing half-written on a refusal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.domain.errors import InvalidInput, NotPermitted, PayloadInvalid
from engine.domain.history import EventKind, verify_chain
from tests.unit.service._flows import to_payment_ordered


def _order(app: App, clock: FixedClock) -> tuple[str, int, str]:
    case = to_payment_ordered(app, clock)
    [doc] = app.queries.get_case(case.ref).documents
    return case.ref, doc.id, clock.now().date().isoformat()


def _direct(doc_id: int, on: str, **extra: Any) -> dict[str, Any]:
    return {
        "document": doc_id,
        "recipient": "定安县某建筑劳务有限公司",
        "method": "direct",
        "served_on": on,
        "place": "海南省定安县定城镇见龙大道某建筑工地项目部",
        "signed_by": "陈某（项目负责人）",
        **extra,
    }


def test_direct_service_records_the_service_and_issues_a_numbered_receipt(
    app: App, clock: FixedClock
) -> None:
    ref, doc_id, today = _order(app, clock)
    case = app.cases.record_service(ref, _direct(doc_id, today), actor="wang")
    [order, receipt] = app.queries.get_case(ref).documents
    assert receipt.kind == "delivery_receipt" and receipt.number == "定人社监送〔2026〕1号"
    [service] = case.data["services"]
    assert service["document_number"] == order.number == "定人社监令〔2026〕1号"
    assert service["receipt"] == {"id": receipt.id, "number": receipt.number}
    last = app.queries.history(ref)[-1]
    assert last.kind is EventKind.DOCUMENT and last.trigger == "record_service"
    assert last.payload["_documents"][0]["sha256"] == receipt.sha256
    assert verify_chain(ref, app.queries.history(ref)) is None
    documents = app.documents
    assert documents.check(receipt.id).same
    html = documents.render(receipt.id, "html").content.decode()
    for text in ("送达回证", order.number, "直接送达", "陈某（项目负责人）", "王建国（执法证号："):
        assert text in html
    assert "wang" not in html


def test_each_method_needs_its_proof(app: App, clock: FixedClock) -> None:
    ref, doc_id, today = _order(app, clock)
    base: dict[str, Any] = {
        "document": doc_id,
        "recipient": "定安县某建筑劳务有限公司",
        "served_on": today,
    }
    refused: list[tuple[dict[str, Any], str]] = [
        ({"method": "direct"}, "签收人"),
        ({"method": "left_at_premises", "witnesses": ["村委会主任黄某"]}, "拒绝签收"),
        ({"method": "left_at_premises", "refusal": "拒绝签收"}, "见证人"),
        ({"method": "posting"}, "拍照或者录像"),
        ({"method": "post"}, "邮件单号"),
        ({"method": "electronic", "electronic_address": "a@b.cn"}, "确认书"),
    ]
    for extra, why in refused:
        with pytest.raises(PayloadInvalid, match=why):
            app.cases.record_service(ref, {**base, **extra}, actor="wang")
    assert "services" not in app.queries.get_case(ref).case.data
    assert len(app.queries.get_case(ref).documents) == 1


def test_left_at_the_premises_with_witnesses(app: App, clock: FixedClock) -> None:
    ref, doc_id, today = _order(app, clock)
    record = {
        "document": doc_id,
        "recipient": "定安县某建筑劳务有限公司",
        "method": "left_at_premises",
        "served_on": today,
        "refusal": "项目负责人陈某拒绝签收，称须请示公司",
        "witnesses": ["见龙社区居委会主任黄某"],
    }
    app.cases.record_service(ref, record, actor="li")
    receipt = app.queries.get_case(ref).documents[-1]
    html = app.documents.render(receipt.id, "html").content.decode()
    assert "留置送达" in html and "见龙社区居委会主任黄某" in html
    assert "项目负责人陈某拒绝签收，称须请示公司。" in html


def test_posting_names_attachments_of_the_case(app: App, clock: FixedClock) -> None:
    ref, doc_id, today = _order(app, clock)
    record = {
        "document": doc_id,
        "recipient": "定安县某建筑劳务有限公司",
        "method": "posting",
        "served_on": today,
        "evidence": ["张贴照片.jpg"],
    }
    with pytest.raises(InvalidInput, match=r"张贴照片\.jpg"):
        app.cases.record_service(ref, record, actor="wang")
    app.cases.add_attachment(ref, "张贴照片.jpg", b"\xff\xd8jpeg", actor="wang")
    app.cases.record_service(ref, record, actor="wang")
    assert app.queries.get_case(ref).documents[-1].kind == "delivery_receipt"


def test_dates_roles_and_documents_are_checked(app: App, clock: FixedClock) -> None:
    ref, doc_id, today = _order(app, clock)
    tomorrow = (clock.now() + timedelta(days=1)).date().isoformat()
    before = (clock.now() - timedelta(days=1)).date().isoformat()
    with pytest.raises(InvalidInput, match="晚于今天"):
        app.cases.record_service(ref, _direct(doc_id, tomorrow), actor="wang")
    with pytest.raises(InvalidInput, match="早于"):
        app.cases.record_service(ref, _direct(doc_id, before), actor="wang")
    with pytest.raises(InvalidInput, match="没有 ID"):
        app.cases.record_service(ref, _direct(doc_id + 99, today), actor="wang")
    with pytest.raises(NotPermitted):
        app.cases.record_service(ref, _direct(doc_id, today), actor="zhou")
    app.cases.record_service(ref, _direct(doc_id, today), actor="wang")
    receipt = app.queries.get_case(ref).documents[-1]
    with pytest.raises(InvalidInput, match="送达回证本身"):
        app.cases.record_service(ref, _direct(receipt.id, today), actor="wang")


def test_a_recorded_service_passes_the_full_verify(app: App, clock: FixedClock) -> None:
    ref, doc_id, today = _order(app, clock)
    app.cases.record_service(ref, _direct(doc_id, today), actor="wang")
    report = app.integrity.verify()
    assert report.broken == [], [f.problem for f in report.broken]
