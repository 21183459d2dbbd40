"""Steps the worked examples share: a labour-inspection case taken to findings, a penalty
taken to the fine paid, a referral answered."""

from __future__ import annotations

from datetime import date, timedelta

from tests.e2e._support import Bureau


def investigate(b: Bureau, ref: str, matter: str, source_kind: str, summary: str) -> None:
    b.fire(ref, "accept", {"source_kind": source_kind, "matter": matter, "summary": summary})
    b.assign(ref, "wang", "li")
    b.fire(ref, "start_investigation")


def find(b: Bureau, ref: str, violations: str, facts: str, basis: str, workers: int = 0) -> None:
    payload = {"violations": violations, "facts": facts, "basis": basis, "workers": workers}
    b.fire(ref, "record_findings", payload, actor="li")


def rectify(b: Bureau, ref: str, violations: str, basis: str, requirements: str) -> None:
    payload = {"violations": violations, "basis": basis, "requirements": requirements}
    b.fire(ref, "order_rectification", payload)


def check(b: Bureau, ref: str, corrected: bool, notes: str) -> None:
    b.fire(ref, "record_check", {"checked_on": b.today(), "corrected": corrected, "notes": notes})


def refer(b: Bureau, ref: str, department: str, facts: str, answer: str) -> None:
    b.fire(ref, "refer", {"department": department, "facts": facts})
    b.later(days=2)
    b.fire(ref, "record_referral_receipt", {"department": department, "received_on": b.today()})
    b.later(days=5)
    b.fire(
        ref,
        "record_referral_answer",
        {"department": department, "answer": answer, "answered_on": b.today()},
    )


def penalise(b: Bureau, ref: str, facts: str, basis: str, fine: str, *, hearing: bool) -> None:
    """Advance notice → (hearing, or the request window lapses by the sweep) → legal review by
    the legal reviewer → decision by the head → served → fine paid within 15 days."""
    notice = {
        "facts": facts,
        "evidence": "现场检查笔录、询问笔录、书证",
        "basis": basis,
        "penalty_basis": "《劳动保障监察条例》第三十条第一款第三项",
        "proposed_fine": fine,
        "hearing_right": hearing,
    }
    b.fire(ref, "issue_penalty_notice", notice)
    b.fire(ref, "record_notice_service", {"served_on": b.today(), "method": "direct"})
    if hearing:
        b.later(days=2)
        b.fire(ref, "request_hearing", {"requested_on": b.today()})
        b.later(days=1)
        day = (date.fromisoformat(b.today()) + timedelta(days=14)).isoformat()
        b.fire(ref, "schedule_hearing", {"hearing_on": day, "place": "本局听证室", "host": "chen"})
        b.later(days=14)
        b.fire(
            ref,
            "record_hearing",
            {
                "held_on": b.today(),
                "party_attended": True,
                "summary": "当事人承认违法事实，请求从轻处罚",
                "record_signed": True,
            },
        )
    else:
        result = b.until_expiry(ref, "hearing_request")
        assert result.fired == 1 and b.state(ref) == "legal_review"
    b.later(hours=2)
    b.fire(
        ref,
        "complete_legal_review",
        {"passed": True, "opinion": "事实清楚，证据确凿，适用依据正确，程序合法"},
        actor="sun",
    )
    b.fire(
        ref,
        "decide_penalty",
        {"fine": fine, "reasons": "当事人的陈述、申辩不足以免除处罚"},
        actor="zhou",
    )
    b.later(days=1)
    b.fire(
        ref, "serve_decision", {"served_on": b.today(), "method": "direct", "recipient": "负责人"}
    )
    b.later(days=10)
    b.fire(ref, "record_fine_payment", {"amount": fine, "paid_on": b.today()})
    assert b.state(ref) == "penalty_concluded"
