"""A wage-arrears complaint from registration to the transfer to the police, worked in the
browser by the people who do it: the inspector registers and investigates, the supervisor
assigns two inspectors, the payment order is previewed and its PDF downloaded, a partial
payment recorded; the sweep (run by the test) passes the deadline; the board shows the case
waiting for the head, who approves the transfer."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, case_ref


def _act(page: Page, label: str) -> None:
    """Open an action of the case page by its button."""
    page.get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state("networkidle")


def _submit(page: Page) -> None:
    page.locator("form.form button.primary").click()
    page.wait_for_load_state("networkidle")


def _register(site: Site, wang: Page) -> str:
    site.shot(wang, "web-inbox-empty")
    wang.get_by_role("link", name="登记案件").click()
    wang.fill("#f-name", "定安县某建筑劳务有限公司")
    wang.fill("#f-address", "海南省定安县定城镇见龙大道某建筑工地项目部")
    wang.fill("#f-uscc", "91469021MA5T3XY14R")
    wang.fill("[name='intake.complainant']", "张某")
    wang.fill("[name='intake.complainants']", "72")
    wang.fill("[name='intake.claimed']", "1200000")
    expect(wang.locator(".capitals").first).to_have_text("壹佰贰拾万元整")
    _submit(wang)
    expect(wang.locator(".notice.ok")).to_contain_text("已登记案件 WA2026-0001")
    return case_ref(wang)


def _investigate(site: Site, wang: Page, chen: Page, ref: str) -> None:
    _act(wang, "受理立案")
    wang.fill("[name=summary]", "72名农民工集体投诉欠薪，属本局管辖，予以立案")
    _submit(wang)
    expect(wang.locator(".case-head .state")).to_have_text("已立案")
    chen.goto(f"/cases/{ref}")
    _act(chen, "指派承办人")
    chen.check("input[value=wang]")
    chen.check("input[value=li]")
    chen.locator("form.form button.primary").click()
    expect(chen.locator(".notice.ok")).to_contain_text("已指派承办人")
    wang.reload()
    _act(wang, "开始调查")
    _submit(wang)
    expect(wang.locator(".case-head .state")).to_have_text("调查中")
    _act(wang, "调查终结（认定事实）")
    for name, value in {"workers": "0", "months": "4", "claimed": "1200000"}.items():
        wang.fill(f"[name={name}]", value)
    wang.fill("[name=admitted]", "1050000")
    wang.fill("[name=disputed]", "150000")
    wang.fill("[name=facts]", "承包人承认拖欠72名农民工工资105万元，对15万元存在结算争议")
    _submit(wang)
    expect(wang.locator(".field.has-error .field-error")).to_contain_text("应大于 0")
    expect(wang.locator("[name=facts]")).to_have_value(
        "承包人承认拖欠72名农民工工资105万元，对15万元存在结算争议"
    )
    site.shot(wang, "web-action-field-error")
    wang.fill("[name=workers]", "72")
    _submit(wang)
    expect(wang.locator(".case-head .state")).to_have_text("调查终结")


def _order_and_pay(site: Site, wang: Page, ref: str) -> None:
    _act(wang, "责令限期支付")
    _submit(wang)
    expect(wang.locator(".case-head .state")).to_have_text("责令限期支付")
    expect(wang.locator("#documents")).to_contain_text("定人社监令〔2026〕1号")
    wang.locator("#documents details.preview summary").first.click()
    frame = wang.frame_locator("#documents iframe").first
    expect(frame.locator("body")).to_contain_text("限期改正指令书")
    site.shot(wang, "web-case")
    pdf_link = wang.get_by_role("link", name="PDF").first.get_attribute("href")
    assert pdf_link is not None
    pdf = wang.context.request.get(pdf_link)
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    _act(wang, "登记责令支付文书送达（逃匿的张贴送达）")
    wang.fill("[name=served_on]", "2026-03-02")
    wang.select_option("[name=method]", "direct")
    wang.fill("[name=recipient]", "陈某（承包人）")
    _submit(wang)
    expect(wang.locator(".notice.ok")).to_contain_text("已办理")
    _act(wang, "登记支付")
    wang.fill("[name=amount]", "50000")
    expect(wang.locator(".capitals").first).to_have_text("伍万元整")
    wang.fill("[name=paid_on]", "2026-03-02")
    wang.fill("[name=evidence]", "银行转账凭证")
    _submit(wang)
    expect(wang.locator(".case-head .state")).to_have_text("责令限期支付")
    expect(wang.locator("dl.facts")).to_contain_text("1,000,000.00 元")  # still owed
    wang.goto("/")
    mine = wang.locator("section", has_text="我承办的案件")
    expect(mine).to_contain_text(ref)
    expect(mine).to_contain_text("限期支付期限")
    site.shot(wang, "web-inbox")


def test_a_complaint_worked_to_the_transfer_to_the_police(site: Site) -> None:
    wang, chen = site.person("wang"), site.person("chen")
    ref = _register(site, wang)
    _investigate(site, wang, chen, ref)
    _order_and_pay(site, wang, ref)

    [timer] = [
        t for t in site.services.queries.get_case(ref).timers if t.name == "payment_deadline"
    ]
    site.clock.set(timer.due_at + timedelta(minutes=5))
    assert site.services.sweeper.sweep().fired == 1  # the deadline passes by itself

    # A week later: the sessions of that day have long expired.
    wang.goto(f"/cases/{ref}")
    expect(wang).to_have_url(f"{site.url}/login?next=/cases/{ref}")
    site.sign_in(wang, "wang")
    site.sign_in(chen, "chen")
    wang.goto(f"/cases/{ref}")
    expect(wang.locator(".case-head .state")).to_have_text("逾期未支付")
    expect(wang.locator(".notice.warn")).to_contain_text("数额标准")  # warned in the UI
    expect(wang.locator("#timeline")).to_contain_text("限期届满未支付")
    _act(wang, "提出移送涉嫌犯罪案件报告")
    wang.fill("[name=offence]", "拒不支付劳动报酬罪")
    wang.fill("[name=facts]", "经责令支付逾期仍不支付，拖欠72名农民工工资100万元")
    wang.fill("[name=evidence]", "调查报告、询问笔录、工资支付台账")
    _submit(wang)
    expect(wang.locator(".case-head .state")).to_have_text("移送报告待局长审批")

    chen.goto("/board")
    row = chen.locator("table.board tr", has_text=ref)
    expect(row).to_contain_text("局长审批移送期限")
    site.shot(chen, "web-board")

    zhou = site.person("zhou")
    expect(zhou.locator("section", has_text="待我审批")).to_contain_text(ref)
    site.shot(zhou, "web-inbox-head")
    zhou.get_by_role("link", name=ref).first.click()
    _act(zhou, "批准移送（局长）")
    zhou.fill("[name=opinion]", "同意移送县公安局")
    _submit(zhou)
    expect(zhou.locator(".case-head .state")).to_have_text("已批准移送（待移送公安机关）")
    assert site.services.queries.verify().broken == []
