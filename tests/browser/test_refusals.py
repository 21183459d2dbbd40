"""What the web app refuses, in a real browser: a wrong password and the lock-out, a form
without its token, an expired session, a case outside one's view, an inspector trying an
approval, and two people acting on the same version of a case."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import Site, password_of
from tests.shared import CONTRACTOR, WAGE_FINDINGS


def _payment_ordered(site: Site) -> str:
    s = site.services
    case = s.cases.open_case(
        procedure="wage_arrears", subject=CONTRACTOR, source="投诉", actor="wang"
    )
    s.cases.fire(case.ref, "accept", {}, actor="wang")
    s.cases.assign(case.ref, ["wang", "li"], actor="chen")
    s.cases.fire(case.ref, "start_investigation", actor="wang")
    s.cases.fire(case.ref, "record_findings", WAGE_FINDINGS, actor="li")
    return s.cases.fire(case.ref, "order_payment", {}, actor="wang").ref


def test_wrong_password_then_lock_out(site: Site) -> None:
    page = site.context().new_page()
    site.sign_in(page, "wang", "not-my-password-1")
    expect(page.locator(".notice.error")).to_contain_text("用户名或密码错误（SIGN_IN_FAILED）")
    for _ in range(4):
        site.sign_in(page, "wang", "not-my-password-1")
    site.sign_in(page, "wang", password_of("wang"))
    expect(page.locator(".notice.error")).to_contain_text("账户已锁定")
    site.clock.set(site.clock.now() + timedelta(minutes=16))
    site.sign_in(page, "wang")
    expect(page.locator("h1")).to_have_text("我的待办")


def test_a_request_without_the_form_token_is_refused(site: Site) -> None:
    ref = _payment_ordered(site)
    page = site.person("wang")
    response = page.context.request.post(f"/cases/{ref}/notes", form={"text": "伪造的备注"})
    assert response.status == 403 and "CSRF_FAILED" in response.text()
    forged = page.context.request.post(
        f"/cases/{ref}/notes", form={"text": "伪造的备注", "csrf_token": "guessed"}
    )
    assert forged.status == 403
    assert all(e.kind != "note" for e in site.services.queries.history(ref))


def test_an_idle_session_ends(site: Site) -> None:
    page = site.person("chen")
    site.clock.set(site.clock.now() + timedelta(minutes=31))
    page.goto("/board")
    expect(page).to_have_url(f"{site.url}/login?next=/board")
    expect(page.locator("h1")).to_have_text("登录")


def test_a_case_outside_ones_view_does_not_exist(site: Site) -> None:
    ref = _payment_ordered(site)
    site.services.users.add_user(
        "qian", "inspector", "县社会保险基金监督股", "钱监察", actor="admin"
    )
    site.services.users.reset_password(
        "qian", actor="admin", password=password_of("qian"), must_change=False
    )
    page = site.person("qian")
    page.goto(f"/cases/{ref}")
    expect(page.locator("h1")).to_have_text("不存在或无权查看")
    expect(page.locator("main")).not_to_contain_text(CONTRACTOR.name)


def _transfer_proposed(site: Site) -> str:
    ref = _payment_ordered(site)
    s = site.services
    served = {"served_on": "2026-03-02", "method": "direct", "recipient": "陈某（承包人）"}
    s.cases.fire(ref, "record_order_service", served, actor="wang")
    [timer] = [t for t in s.queries.get_case(ref).timers if t.name == "payment_deadline"]
    site.clock.set(timer.due_at + timedelta(minutes=5))
    assert s.sweeper.sweep().fired == 1
    report = {"offence": "拒不支付劳动报酬罪", "facts": "逾期仍不支付", "evidence": "调查报告"}
    s.cases.fire(ref, "propose_transfer", report, actor="wang")
    return ref


def test_an_inspector_trying_an_approval_is_refused(site: Site) -> None:
    ref = _transfer_proposed(site)
    page = site.person("wang")
    page.goto(f"/cases/{ref}")
    expect(page.locator(".case-head .state")).to_have_text("移送报告待局长审批")
    expect(page.get_by_role("link", name="批准移送（局长）")).to_have_count(0)
    page.goto(f"/cases/{ref}/actions/approve_transfer")  # the head's alone (art. 5)
    expect(page.locator(".notice.warn")).to_contain_text("由局长办理")
    page.fill("[name=opinion]", "我来批准")
    page.locator("form.form button.primary").click()
    expect(page.locator(".notice.error")).to_contain_text("NOT_PERMITTED")
    expect(page.locator("[name=opinion]")).to_have_value("我来批准")
    assert site.services.queries.get_case(ref).case.state == "transfer_proposed"
    assert any(
        e.kind == "permission_denied" for e in site.services.auth.audit_log(actor="admin").items
    )


def test_two_browsers_on_one_version(site: Site) -> None:
    ref = _payment_ordered(site)
    wang, li = site.person("wang"), site.person("li")
    for page in (wang, li):
        page.goto(f"/cases/{ref}/actions/record_payment")
        page.fill("[name=amount]", "1000")
        page.fill("[name=paid_on]", "2026-03-02")
    wang.fill("[name=evidence]", "王的凭证")
    li.fill("[name=evidence]", "李的凭证")
    wang.locator("form.form button.primary").click()
    expect(wang.locator(".notice.ok")).to_contain_text("已办理：登记支付")
    li.locator("form.form button.primary").click()
    expect(li.locator(".notice.error")).to_contain_text("VERSION_CONFLICT")
    expect(li.locator(".notice.error")).to_contain_text("王建国 登记支付")
    expect(li.locator("[name=evidence]")).to_have_value("李的凭证")
    li.locator("form.form button.primary").click()  # after reading what changed
    expect(li.locator(".notice.ok")).to_contain_text("已办理：登记支付")
    assert site.services.queries.get_case(ref).case.data["paid_total"] == "2000.00"


def test_readable_on_a_phone(site: Site) -> None:
    ref = _payment_ordered(site)
    page = site.person("wang", width=390, height=844)
    page.goto(f"/cases/{ref}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the case page scrolls sideways on a phone ({width}px)"
    site.shot(page, "web-phone-case")
