"""Working cases in the web app: who sees what, registering, acting through generated
forms, the engine's refusals on the same form, documents and attachments."""

from __future__ import annotations

import re
from datetime import timedelta

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.domain.auth import AuditKind
from tests.fakes import FakeStore
from tests.shared import CONTRACTOR, WAGE_FINDINGS
from tests.unit.service._flows import complaint, to_payment_ordered
from tests.unit.web.conftest import Browser


def _audit(services: App) -> list[AuditKind]:
    return [e.kind for e in services.auth.audit_log(actor="admin", per_page=200).items]


def test_a_case_outside_ones_view_does_not_exist(browser: Browser, services: App) -> None:
    services.users.add_user("qian", "inspector", "县社会保险基金监督股", "钱监察", actor="admin")
    services.users.reset_password("qian", actor="admin", password="qianpass2026", must_change=False)
    ref = complaint(services).ref
    browser.sign_in("qian", "qianpass2026")
    hidden = browser.get(f"/cases/{ref}")
    missing = browser.get("/cases/WA2026-9999")
    assert hidden.status_code == missing.status_code == 404
    assert "不存在或无权查看" in hidden.text and ref in hidden.text
    assert "定安县某建筑劳务" not in hidden.text
    assert browser.get(f"/cases/{ref}/diagram.svg").status_code == 404
    assert ref not in browser.get("/cases").text
    assert AuditKind.NOT_VISIBLE in _audit(services)


def test_the_admin_sees_no_case(browser: Browser, services: App) -> None:
    ref = complaint(services).ref
    browser.sign_in("admin")
    assert browser.get(f"/cases/{ref}").status_code == 404
    assert "系统管理" in browser.get("/").text


def test_registering_a_complaint(browser: Browser, services: App) -> None:
    browser.sign_in("wang")
    form = {
        "procedure": "wage_arrears",
        "name": "定安县某装饰工程有限公司",
        "address": "定城镇塔岭路18号",
        "uscc": "91469021MA5RC0QX1X",  # wrong check character
        "source": "投诉",
        "intake.complainant": "张三",
        "intake.complainants": "12",
        "intake.claimed": "86000",
    }
    bad = browser.post("/cases/new", form)
    assert bad.status_code == 422 and "校验位不正确" in bad.text
    assert 'value="张三"' in bad.text  # nothing typed is lost
    done = browser.post("/cases/new", {**form, "uscc": "91469021MA5RC0QX1W"})
    assert done.status_code == 200 and "已登记案件 WA2026-0001" in done.text
    case = services.queries.get_case("WA2026-0001").case
    assert case.data == {"complainant": "张三", "complainants": 12, "claimed": "86000.00"}
    again = browser.post("/cases/new", {**form, "uscc": "91469021MA5RC0QX1W"})
    assert "已有 1 件未结" in again.text  # a duplicate is warned, not registered
    confirmed = browser.post(
        "/cases/new", {**form, "uscc": "91469021MA5RC0QX1W", "confirm_duplicate": "1"}
    )
    assert "WA2026-0002" in confirmed.text
    assert "张三" in browser.get("/cases?q=张三").text  # the complainant is searchable


def test_an_action_form_is_generated_and_its_errors_shown_in_place(
    browser: Browser, services: App, clock: FixedClock
) -> None:
    ref = complaint(services).ref
    services.cases.fire(ref, "accept", {}, actor="wang")
    services.cases.assign(ref, ["wang", "li"], actor="chen")
    services.cases.fire(ref, "start_investigation", actor="wang")
    browser.sign_in("li")
    page = browser.get(f"/cases/{ref}/actions/record_findings")
    assert "涉及劳动者人数" in page.text and 'type="number"' in page.text
    assert 'hx-get="/capitals"' in page.text  # amounts show their capitals as typed
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version is not None
    form = {**{k: str(v) for k, v in WAGE_FINDINGS.items()}, "version": version.group(1)}
    wrong = browser.post(f"/cases/{ref}/actions/record_findings", {**form, "workers": "-3"})
    assert wrong.status_code == 422
    assert re.search(r'class="field has-error w-number".*?应大于 0', wrong.text, re.S)
    assert WAGE_FINDINGS["facts"][:10] in wrong.text  # what was typed stays
    done = browser.post(f"/cases/{ref}/actions/record_findings", form)
    assert "已办理：调查终结（认定事实）" in done.text
    assert services.queries.get_case(ref).case.state == "findings"


def test_an_inspector_trying_an_approval_is_refused_by_the_engine(
    browser: Browser, services: App, clock: FixedClock
) -> None:
    ref = to_payment_ordered(services, clock).ref
    store = services.context.uow
    assert isinstance(store, FakeStore)
    store.state.cases[ref].state = "transfer_proposed"  # waiting for the head's decision
    browser.sign_in("wang")
    assert "批准移送" not in browser.get(f"/cases/{ref}").text  # not offered
    page = browser.get(f"/cases/{ref}/actions/approve_transfer")
    assert "由局长办理" in page.text
    refused = browser.post(f"/cases/{ref}/actions/approve_transfer", {"version": "6"})
    assert refused.status_code == 403 and "NOT_PERMITTED" in refused.text
    assert AuditKind.PERMISSION_DENIED in _audit(services)


def test_two_people_on_one_version_one_gets_the_conflict(
    browser: Browser, other_browser: Browser, services: App, clock: FixedClock
) -> None:
    ref = to_payment_ordered(services, clock).ref
    browser.sign_in("wang")
    other_browser.sign_in("li")
    note = {"version": "6", "amount": "1000", "paid_on": "2026-03-12", "evidence": "转账凭证A"}
    first = browser.post(f"/cases/{ref}/actions/record_payment", note)
    assert "已办理：登记支付" in first.text
    second = other_browser.post(
        f"/cases/{ref}/actions/record_payment", {**note, "evidence": "转账凭证B"}
    )
    assert second.status_code == 409 and "VERSION_CONFLICT" in second.text
    assert "转账凭证B" in second.text  # the form keeps the input
    assert "王建国 登记支付" in second.text  # and says what changed meanwhile
    again = other_browser.post(
        f"/cases/{ref}/actions/record_payment", {**note, "version": "7", "evidence": "B"}
    )
    assert "已办理：登记支付" in again.text
    assert services.queries.get_case(ref).case.data["paid_total"] == "2000.00"


def test_a_guard_failure_comes_back_on_the_form(
    browser: Browser, services: App, clock: FixedClock
) -> None:
    ref = to_payment_ordered(services, clock).ref
    browser.sign_in("wang")
    too_much = {"version": "6", "amount": "2000000", "paid_on": "2026-03-12"}
    refused = browser.post(f"/cases/{ref}/actions/record_payment", too_much)
    assert refused.status_code == 422 and "GUARD_FAILED" in refused.text
    assert "超过尚欠金额" in refused.text


def test_documents_and_attachments(browser: Browser, services: App, clock: FixedClock) -> None:
    ref = to_payment_ordered(services, clock).ref
    browser.sign_in("wang")
    page = browser.get(f"/cases/{ref}")
    assert "定人社监令〔2026〕1号" in page.text
    doc_id = re.search(r"/documents/(\d+)/preview", page.text)
    assert doc_id is not None
    preview = browser.get(f"/documents/{doc_id.group(1)}/preview")
    assert preview.status_code == 200 and "限期改正指令书" in preview.text
    assert preview.headers["x-frame-options"] == "SAMEORIGIN"
    word = browser.get(f"/documents/{doc_id.group(1)}.docx")
    assert word.status_code == 200 and word.content[:2] == b"PK"
    upload = browser.post(
        f"/cases/{ref}/attachments",
        {"note": "现场照片"},
        files={"file": ("现场.jpg", b"\xff\xd8jpeg bytes", "image/jpeg")},
    )
    assert "已上传附件 现场.jpg" in upload.text
    att = re.search(r'href="/attachments/(\d+)"', upload.text)
    assert att is not None
    inline = browser.get(f"/attachments/{att.group(1)}?inline=true")
    assert inline.headers["content-type"] == "image/jpeg" and inline.content.startswith(b"\xff")
    html = browser.post(
        f"/cases/{ref}/attachments", files={"file": ("x.html", b"<script>", "text/html")}
    )
    att2 = re.findall(r'href="/attachments/(\d+)"', html.text)[-1]
    served = browser.get(f"/attachments/{att2}?inline=true")
    assert served.headers["content-type"] == "application/octet-stream"  # never rendered
    assert "attachment;" in served.headers["content-disposition"]
    note = browser.post(f"/cases/{ref}/notes", {"text": "电话联系承包人未果"})
    assert "电话联系承包人未果" in note.text and "备注" in note.text


def test_bad_input_never_gives_a_server_error(browser: Browser) -> None:
    browser.sign_in("chen")
    for url in (
        "/cases?page=abc",
        "/cases?opened_from=2026-13-40",
        "/board?due_within=-1",
        "/board/calendar?month=2026-99",
        "/cases/new?procedure=nope",
        "/documents/999.pdf",
        "/documents/1.exe",
        "/attachments/999",
        "/cases/WA2026-0001/actions/nope",
    ):
        response = browser.get(url)
        assert 400 <= response.status_code < 500, url
        assert re.search(r"（[A-Z_]{5,}）|<code>[A-Z_]{5,}</code>", response.text), url


def test_the_subject_is_the_worked_example(services: App) -> None:
    assert complaint(services).subject == CONTRACTOR


def test_recording_a_service_from_the_case_page(
    browser: Browser, services: App, clock: FixedClock
) -> None:
    ref = to_payment_ordered(services, clock).ref
    [order] = services.queries.get_case(ref).documents
    browser.sign_in("wang")
    assert f"/cases/{ref}/actions/record_service" in browser.get(f"/cases/{ref}").text
    page = browser.get(f"/cases/{ref}/actions/record_service")
    assert page.status_code == 200 and f"{order.title}（{order.number}）" in page.text
    form = {
        "document": str(order.id),
        "recipient": "定安县某建筑劳务有限公司",
        "method": "direct",
        "served_on": clock.now().date().isoformat(),
        "version": str(services.queries.get_case(ref).case.version),
    }
    refused = browser.post(f"/cases/{ref}/actions/record_service", form)
    assert refused.status_code == 422 and "签收人" in refused.text
    assert 'value="定安县某建筑劳务有限公司"' in refused.text  # nothing typed is lost
    done = browser.post(
        f"/cases/{ref}/actions/record_service", {**form, "signed_by": "陈某（项目负责人）"}
    )
    assert done.status_code == 200 and "已办理：记录送达" in done.text
    receipt = services.queries.get_case(ref).documents[-1]
    assert receipt.title == "送达回证" and receipt.number in done.text
    assert f"直接送达，送达回证 {receipt.number}" in done.text  # shown with the order served


def test_the_service_date_is_entered_on_the_form_and_checked(
    browser: Browser, services: App, clock: FixedClock
) -> None:
    ref = to_payment_ordered(services, clock).ref
    store = services.context.uow
    assert isinstance(store, FakeStore)
    case = store.state.cases[ref]
    case.state = "penalty_decided"
    case.data["penalty"] = {"decision": {"fine": "20000", "decided_on": "2026-03-02"}}
    browser.sign_in("wang")
    page = browser.get(f"/cases/{ref}/actions/serve_decision")
    assert "送达日期" in page.text and 'type="date"' in page.text
    form = {"version": str(case.version), "method": "direct"}
    future = browser.post(
        f"/cases/{ref}/actions/serve_decision", {**form, "served_on": "2026-12-31"}
    )
    assert future.status_code == 422 and "晚于今天" in future.text
    assert case.state == "penalty_decided"
    done = browser.post(f"/cases/{ref}/actions/serve_decision", {**form, "served_on": "2026-03-02"})
    assert "已办理：送达行政处罚决定书" in done.text
    fine = [t for t in services.queries.get_case(ref).timers if t.name == "fine_payment"]
    assert [t.last_day for t in fine] == ["2026-03-17"]  # 15 days from 03-02, not from today


def test_every_event_records_the_channel_it_came_through(
    browser: Browser, services: App, clock: FixedClock
) -> None:
    """web pages, the CLI, the sweep (system); hashed with the event like the rest."""
    from engine.service.context import through

    browser.sign_in("wang")
    form = {
        "procedure": "wage_arrears",
        "name": "定安县某装饰工程有限公司",
        "address": "定城镇塔岭路18号",
        "uscc": "91469021MA5RC0QX1W",
        "source": "投诉",
        "intake.complainant": "张三",
        "intake.complainants": "12",
        "intake.claimed": "86000",
    }
    assert "已登记案件 WA2026-0001" in browser.post("/cases/new", form).text
    with through("cli"):
        services.cases.add_note("WA2026-0001", "电话联系", actor="wang")
    clock.set(clock.now() + timedelta(days=30))
    services.sweeper.sweep()
    events = services.queries.history("WA2026-0001")
    channels = [e.payload.get("_channel") for e in events]
    assert channels[:2] == ["web", "cli"] and channels[-1] == "system"
    assert all(e.computed_hash() == e.hash for e in events)
