"""The JSON API: tokens, the status of each typed error, visibility, idempotent creation,
and the case's records — all on the same services as the web pages."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.domain.auth import AuditKind
from tests.fakes import FakeStore
from tests.shared import CONTRACTOR, WAGE_FINDINGS
from tests.unit.api.conftest import API
from tests.unit.service._flows import complaint, to_payment_ordered

NEW_CASE: dict[str, Any] = {
    "procedure": "wage_arrears",
    "subject": {"name": CONTRACTOR.name, "address": CONTRACTOR.address, "uscc": CONTRACTOR.uscc},
    "source": "投诉",
    "matter": "wage_arrears",
    "data": {"complainant": "张三", "complainants": 12, "claimed": "86000"},
}


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["code"] == code
    assert body["detail"]  # the Chinese message
    return body


def test_without_a_live_token_nothing_is_answered(
    client: TestClient, services: App, tokens: dict[str, str], as_user: Any
) -> None:
    assert as_user("wang").get("/me").json()["name"] == "wang"
    _problem(client.get(f"{API}/me"), 401, "UNAUTHORIZED")
    wrong = client.get(f"{API}/me", headers={"Authorization": "Bearer cf_not-a-token"})
    assert _problem(wrong, 401, "UNAUTHORIZED") and wrong.headers["www-authenticate"] == "Bearer"
    basic = client.get(f"{API}/me", headers={"Authorization": "Basic d2FuZzp4"})
    _problem(basic, 401, "UNAUTHORIZED")
    [mine] = services.tokens.list(actor="admin", user="li")
    services.tokens.revoke(mine.id, actor="admin")
    _problem(as_user("li").get("/me"), 401, "UNAUTHORIZED")
    services.users.set_active("zhao", False, actor="admin")
    _problem(as_user("zhao").get("/me"), 401, "UNAUTHORIZED")


def test_tokens_are_stored_hashed_and_only_the_admin_manages_them(
    services: App, tokens: dict[str, str]
) -> None:
    store = services.context.uow
    assert isinstance(store, FakeStore)
    stored = [h for _, h in store.state.tokens.values()]
    assert tokens["wang"] not in stored and all(len(h) == 64 for h in stored)
    listed = services.tokens.list(actor="admin", user="wang")
    assert [t.prefix for t in listed] == [tokens["wang"][:10]]
    kinds = [e.kind for e in services.auth.audit_log(actor="admin", per_page=100).items]
    assert AuditKind.TOKEN_CREATED in kinds
    from engine.domain.errors import NotPermitted

    try:
        services.tokens.create("wang", "自己建", actor="wang")
    except NotPermitted:
        pass
    else:
        raise AssertionError("an inspector created a token")


def test_opening_a_case_is_idempotent_with_a_key(as_user: Any, services: App) -> None:
    wang = as_user("wang")
    first = wang.post("/cases", NEW_CASE, headers={"Idempotency-Key": "12345-0001"})
    assert first.status_code == 201, first.text
    assert first.json()["ref"] == "WA2026-0001" and first.json()["state"]
    again = wang.post("/cases", NEW_CASE, headers={"Idempotency-Key": "12345-0001"})
    assert again.status_code == 201 and again.json() == first.json()
    assert services.queries.search().total == 1  # the retry made no second case
    other = wang.post(
        "/cases", {**NEW_CASE, "source": "举报"}, headers={"Idempotency-Key": "12345-0001"}
    )
    _problem(other, 422, "IDEMPOTENCY_KEY_REUSED")
    # the same key of another user is theirs
    li = as_user("li").post("/cases", NEW_CASE, headers={"Idempotency-Key": "12345-0001"})
    assert li.json()["ref"] == "WA2026-0002"
    # a command that failed created nothing and frees its key
    bad = {**NEW_CASE, "subject": {**NEW_CASE["subject"], "uscc": "91469021MA5T3XY14X"}}
    _problem(wang.post("/cases", bad, headers={"Idempotency-Key": "k2"}), 422, "INVALID_INPUT")
    assert wang.post("/cases", NEW_CASE, headers={"Idempotency-Key": "k2"}).status_code == 201
    assert services.queries.search().total == 3


def test_unknown_and_invisible_cases_are_both_404(as_user: Any, services: App) -> None:
    ref = complaint(services).ref
    assert as_user("wang").get(f"/cases/{ref}").json()["ref"] == ref
    unknown = _problem(as_user("wang").get("/cases/WA2099-0001"), 404, "CASE_NOT_FOUND")
    # qian works in another unit: the case does not exist for their token
    hidden = _problem(as_user("qian").get(f"/cases/{ref}"), 404, "CASE_NOT_FOUND")
    assert hidden["detail"].replace(ref, "?") == unknown["detail"].replace("WA2099-0001", "?")
    for path in ("/history", "/deadlines", "/documents", "/attachments"):
        _problem(as_user("qian").get(f"/cases/{ref}{path}"), 404, "CASE_NOT_FOUND")
    fired = as_user("qian").post(f"/cases/{ref}/actions/accept", {"payload": {}})
    _problem(fired, 404, "CASE_NOT_FOUND")
    assert as_user("qian").get("/cases").json()["total"] == 0
    assert as_user("wang").get("/cases").json()["total"] == 1
    assert as_user("admin").get("/cases").json()["total"] == 0  # the admin sees no case
    kinds = [e.kind for e in services.auth.audit_log(actor="admin", per_page=100).items]
    assert AuditKind.NOT_VISIBLE in kinds


def test_not_permitted_is_403(as_user: Any, services: App, clock: FixedClock) -> None:
    ref = to_payment_ordered(services, clock).ref
    store = services.context.uow
    assert isinstance(store, FakeStore)
    store.state.cases[ref].state = "transfer_proposed"  # waiting for the head's decision
    case = as_user("wang").get(f"/cases/{ref}").json()
    offered = {a["trigger"]: a["permitted"] for a in case["actions"]}
    assert offered["approve_transfer"] is False
    refused = as_user("wang").post(f"/cases/{ref}/actions/approve_transfer", {})
    _problem(refused, 403, "NOT_PERMITTED")
    _problem(as_user("admin").post("/cases", NEW_CASE), 403, "NOT_PERMITTED")
    _problem(as_user("wang").get("/users"), 403, "NOT_PERMITTED")
    assign = as_user("wang").post(f"/cases/{ref}/assign", {"inspectors": ["zhao"]})
    _problem(assign, 403, "NOT_PERMITTED")


def test_a_stale_version_is_409(as_user: Any, services: App, clock: FixedClock) -> None:
    ref = to_payment_ordered(services, clock).ref
    payment = {"amount": "1000", "paid_on": "2026-03-12", "evidence": "转账凭证A"}
    first = as_user("wang").post(
        f"/cases/{ref}/actions/record_payment", {"payload": payment, "expected_version": 6}
    )
    assert first.status_code == 200 and first.json()["version"] == 7
    second = as_user("li").post(
        f"/cases/{ref}/actions/record_payment", {"payload": payment, "expected_version": 6}
    )
    _problem(second, 409, "VERSION_CONFLICT")
    note = as_user("li").post(f"/cases/{ref}/notes", {"text": "备注", "expected_version": 3})
    _problem(note, 409, "VERSION_CONFLICT")
    _problem(as_user("wang").post(f"/cases/{ref}/actions/accept", {}), 409, "TRIGGER_NOT_ALLOWED")


def test_invalid_payloads_and_failed_guards_are_422(
    as_user: Any, services: App, clock: FixedClock
) -> None:
    ref = to_payment_ordered(services, clock).ref
    wang = as_user("wang")
    too_much = {"payload": {"amount": "2000000", "paid_on": "2026-03-12"}}
    guard = _problem(
        wang.post(f"/cases/{ref}/actions/record_payment", too_much), 422, "GUARD_FAILED"
    )
    assert guard["details"]["failures"]
    bad = {"payload": {"amount": "-5", "paid_on": "明天"}}
    invalid = _problem(
        wang.post(f"/cases/{ref}/actions/record_payment", bad), 422, "PAYLOAD_INVALID"
    )
    assert set(invalid["details"]["fields"]) >= {"amount", "paid_on"}
    shape = _problem(wang.post("/cases", {"procedure": "wage_arrears"}), 422, "PAYLOAD_INVALID")
    assert "body.subject" in shape["details"]["fields"] and "缺少" in shape["detail"]
    _problem(wang.post("/cases", {**NEW_CASE, "procedure": "nope"}), 422, "UNKNOWN_PROCEDURE")
    notjson = wang.client.post(
        f"{API}/cases", content=b"{", headers={**wang.headers, "content-type": "application/json"}
    )
    _problem(notjson, 422, "PAYLOAD_INVALID")
    _problem(wang.get("/cases?page=0"), 422, "PAYLOAD_INVALID")


def test_working_a_case_and_reading_what_it_holds(
    as_user: Any, services: App, clock: FixedClock
) -> None:
    wang, chen = as_user("wang"), as_user("chen")
    ref = wang.post("/cases", NEW_CASE).json()["ref"]
    accepted = wang.post(f"/cases/{ref}/actions/accept", {"payload": {"summary": "符合受理条件"}})
    assert accepted.json()["state"] != "registered"
    assigned = chen.post(f"/cases/{ref}/assign", {"inspectors": ["wang", "li"]})
    assert assigned.json()["assignees"] == ["wang", "li"]
    wang.post(f"/cases/{ref}/actions/start_investigation", {})
    findings = as_user("li").post(
        f"/cases/{ref}/actions/record_findings", {"payload": WAGE_FINDINGS}
    )
    assert findings.status_code == 200, findings.text
    ordered = wang.post(f"/cases/{ref}/actions/order_payment", {"payload": {}})
    assert ordered.status_code == 200, ordered.text
    assert wang.post(f"/cases/{ref}/notes", {"text": "电话联系项目部"}).status_code == 201
    history = wang.get(f"/cases/{ref}/history").json()
    assert [e["seq"] for e in history] == list(range(1, len(history) + 1))
    assert history[-1]["kind"] == "note" and all(len(e["hash"]) == 64 for e in history)
    deadlines = wang.get(f"/cases/{ref}/deadlines").json()
    assert deadlines and all(d["case_ref"] == ref and d["basis"] for d in deadlines)
    board = chen.get("/deadlines").json()
    assert board["total"] >= len(deadlines)
    documents = wang.get(f"/cases/{ref}/documents").json()
    order = documents[-1]
    assert order["number"] and as_user("wang").get(f"/documents/{order['id']}").json() == order
    html = wang.get(f"/documents/{order['id']}/html")
    assert html.status_code == 200 and order["number"] in html.text
    _problem(as_user("qian").get(f"/documents/{order['id']}"), 404, "CASE_NOT_FOUND")
    _problem(wang.get("/documents/9999"), 404, "DOCUMENT_NOT_FOUND")
    _problem(wang.get(f"/documents/{order['id']}/txt"), 422, "PAYLOAD_INVALID")


def test_attachments_upload_once_per_key(as_user: Any, services: App) -> None:
    ref = complaint(services).ref
    wang = as_user("wang")
    files = {"file": ("工资表.csv", "姓名,金额\n张三,8000\n".encode(), "text/csv")}
    sent = [
        wang.client.post(
            f"{API}/cases/{ref}/attachments",
            files=files,
            data={"note": "投诉人提供"},
            headers={**wang.headers, "Idempotency-Key": "att-1"},
        )
        for _ in range(2)
    ]
    assert [r.status_code for r in sent] == [201, 201] and sent[0].json() == sent[1].json()
    listed = wang.get(f"/cases/{ref}/attachments").json()
    assert [a["name"] for a in listed] == ["工资表.csv"]
    content = wang.get(f"/attachments/{listed[0]['id']}")
    assert content.content == files["file"][1]
    _problem(as_user("qian").get(f"/attachments/{listed[0]['id']}"), 404, "CASE_NOT_FOUND")
    _problem(wang.get("/attachments/999"), 404, "NOT_FOUND")


def test_users_and_the_calendar(as_user: Any) -> None:
    admin = as_user("admin")
    names = [u["name"] for u in admin.get("/users").json()]
    assert {"wang", "zhou", "qian"} <= set(names)
    added = admin.post("/users", {"name": "wu", "role": "inspector", "unit": "县劳动保障监察大队"})
    assert added.status_code == 201 and added.json()["role_label"] == "监察员"
    _problem(
        admin.post("/users", {"name": "wu", "role": "inspector", "unit": "x"}), 409, "USER_EXISTS"
    )
    _problem(admin.get("/users/nobody"), 404, "NOT_FOUND")
    _problem(
        admin.post("/users", {"name": "x1", "role": "boss", "unit": "x"}), 422, "PAYLOAD_INVALID"
    )
    _problem(
        admin.post("/users", {"name": "x 1", "role": "head", "unit": "x"}), 422, "INVALID_INPUT"
    )
    year = as_user("wang").get("/calendar/2026").json()
    assert any(h["name"] for h in year["holidays"]) and year["year"] == 2026
    _problem(as_user("wang").get("/nowhere"), 404, "NOT_FOUND")


def test_an_unexpected_error_is_a_500_problem_with_a_reference(
    as_user: Any, services: App, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services.queries, "search", broken)
    body = _problem(as_user("wang").get("/cases"), 500, "INTERNAL_ERROR")
    assert len(body["reference"]) == 12 and "disk" not in body["detail"]
    assert as_user("wang").get("/me").status_code == 200  # the app goes on


def test_the_admin_changes_a_user(as_user: Any) -> None:
    admin = as_user("admin")
    moved = admin.client.patch(
        f"{API}/users/zhao",
        json={"role": "supervisor", "unit": "县社会保险基金监督股"},
        headers=admin.headers,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["role"] == "supervisor" and moved.json()["unit"] == "县社会保险基金监督股"
    own = admin.client.patch(f"{API}/users/admin", json={"active": False}, headers=admin.headers)
    _problem(own, 422, "INVALID_INPUT")
    _problem(
        admin.client.patch(f"{API}/users/nobody", json={}, headers=admin.headers), 404, "NOT_FOUND"
    )
    wang = as_user("wang")
    _problem(
        wang.client.patch(f"{API}/users/li", json={}, headers=wang.headers), 403, "NOT_PERMITTED"
    )
    off = admin.client.patch(f"{API}/users/li", json={"active": False}, headers=admin.headers)
    assert off.json()["active"] is False
    _problem(as_user("li").get("/me"), 401, "UNAUTHORIZED")  # a disabled user's token stops


def test_events_made_through_the_api_say_so(as_user: Any, services: App) -> None:
    wang = as_user("wang")
    ref = wang.post("/cases", NEW_CASE).json()["ref"]
    [opened] = services.queries.history(ref)
    assert opened.payload["_channel"] == "api"
