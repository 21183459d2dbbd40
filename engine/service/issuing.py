"""Issuing the documents a transition asks for, inside the command's transaction: each gets
the next gap-free number of its type and year (e.g. 定人社监令〔2026〕12号), its data frozen
at issue time, its HTML rendered from its template and stored with its SHA-256, which the
case's history records."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from jinja2 import UndefinedError

from engine.deadlines import LOCAL_TZ
from engine.domain.case import Case
from engine.domain.county import CountyContext
from engine.domain.decision import Decision, DocumentRequest, IssuedRef
from engine.domain.declarations import DocumentDecl
from engine.domain.entries import plain, plain_data
from engine.domain.errors import CaseflowError
from engine.domain.history import event_hash
from engine.domain.procedure import Actor, CompiledProcedure
from engine.domain.roles import SYSTEM_USER
from engine.domain.users import User
from engine.service.context import UserCache
from engine.service.ports import AbstractUnitOfWork, Renderer, TemplateFields


class OfficerIncomplete(CaseflowError):
    """A document would print an officer without the full name or the 执法证号 the law
    requires the party to see (劳动保障监察条例 art. 16; 行政处罚法 art. 55)."""

    code = "OFFICER_INCOMPLETE"

    def __init__(self, user: str, missing: str) -> None:
        super().__init__(
            f"承办人 {user} 没有登记{missing}，文书须载明承办人的姓名和执法证号"
            "（《劳动保障监察条例》第十六条，《中华人民共和国行政处罚法》第五十五条）；"
            "请管理员用 caseflow user edit 或网页“用户管理”补录后再办理",
            user=user,
            missing=missing,
        )


class DocumentDataMissing(CaseflowError):
    """A document's template asks for something the case does not record (a user named in
    the payload who is not a user of the system, …): nothing is issued."""

    code = "DOCUMENT_DATA_MISSING"

    def __init__(self, title: str, problem: str) -> None:
        super().__init__(
            f"不能出具{title}：文书所需的内容缺失（{problem}）；请检查填写的内容（如人员须填用户名）",
            title=title,
            problem=problem,
        )


def _user(uow: AbstractUnitOfWork, name: str, users: UserCache | None) -> User | None:
    return users.get(uow, name) if users is not None else uow.users.get(name)


def officers_of(
    uow: AbstractUnitOfWork, case: Case, users: UserCache | None = None
) -> list[dict[str, str]]:
    """The case's officers as documents print them: full name, 执法证号, unit — never the
    login name. An officer without either is an error, not a gap on the document."""
    officers = []
    for name in case.assignees:
        user = _user(uow, name, users)
        if user is None or not user.has_full_name:
            raise OfficerIncomplete(name, "姓名")
        if not user.cert_no:
            raise OfficerIncomplete(f"{user.display_name}（{name}）", "执法证号")
        officers.append({"name": user.display_name, "cert_no": user.cert_no, "unit": user.unit})
    return officers


def people_of(
    uow: AbstractUnitOfWork, payload: Any, users: UserCache | None = None
) -> dict[str, dict[str, str]]:
    """Users a trigger's payload names by login (the hearing's host …), as documents print
    them: login → full name and title (a template writes ``people[payload.host].name``)."""
    found: dict[str, dict[str, str]] = {}
    values = payload.values() if isinstance(payload, Mapping) else []
    for value in values:
        if isinstance(value, str) and value and value not in found:
            user = _user(uow, value, users)
            if user is not None and user.has_full_name:
                found[value] = {"name": user.display_name, "title": user.job_title}
    return found


def signer_of(
    uow: AbstractUnitOfWork, actor: Actor, county: CountyContext, users: UserCache | None = None
) -> dict[str, str]:
    """Who fired the trigger, as an approval prints it: full name and title."""
    if actor.name == SYSTEM_USER:
        return {"name": county.bureau_name, "title": ""}
    user = _user(uow, actor.name, users)
    if user is None or not user.has_full_name:
        raise OfficerIncomplete(actor.name, "姓名")
    return {"name": user.display_name, "title": user.job_title}


class DocumentIssuer:
    def __init__(
        self, county: CountyContext, renderer: Renderer, users: UserCache | None = None
    ) -> None:
        self.county = county
        self.renderer = renderer
        self.users = users
        """The officers, signers and named people documents print, from the commands' user
        cache (its invalidation rule: engine/service/context.py); None: read each."""

    def issue(
        self,
        uow: AbstractUnitOfWork,
        case: Case,
        compiled: CompiledProcedure,
        decision: Decision,
        running: Mapping[str, str],
        provisional: Sequence[str] = (),
    ) -> list[IssuedRef]:
        """Number, render and store every document of the decision; ``running`` is the
        deadlines as they stand once the decision is carried out, ``provisional`` those of
        them that rest on a provisional holiday arrangement (the data says 暂定)."""
        extra = {"running_deadlines": dict(running), "provisional_deadlines": list(provisional)}
        return [
            self._issue_one(uow, case, compiled, decision, request, extra)
            for request in decision.documents
        ]

    def _issue_one(
        self,
        uow: AbstractUnitOfWork,
        case: Case,
        compiled: CompiledProcedure,
        decision: Decision,
        request: DocumentRequest,
        extra: Mapping[str, Any],
    ) -> IssuedRef:
        context = {**request.context, **extra}
        return self.issue_document(
            uow, case, compiled, request.decl, context, decision.at, decision.actor, decision.dest
        )

    def issue_document(
        self,
        uow: AbstractUnitOfWork,
        case: Case,
        compiled: CompiledProcedure,
        decl: DocumentDecl,
        context: Mapping[str, Any],
        at: datetime,
        actor: Actor,
        state: str,
    ) -> IssuedRef:
        """Number, render and store one document of ``case`` in ``state``; ``context`` is
        what the template may use besides the case and the bureau (the trigger, its
        payload, the case data, the deadlines)."""
        local = at.astimezone(LOCAL_TZ)
        prefix = self.county.document_prefix(decl.family, decl.abbrev)
        seq = uow.counters.next(f"doc:{prefix}", local.year)
        number = f"{prefix}〔{local.year}〕{seq}号"
        context = {
            **context,
            "actor": signer_of(uow, actor, self.county, self.users),
            "people": people_of(uow, context.get("payload"), self.users),
        }
        data = document_data(
            self.county,
            case,
            compiled,
            state,
            decl.title,
            context,
            number,
            local,
            officers_of(uow, case, self.users),
        )
        data = keep_used(data, self.renderer.fields(decl.template))
        try:
            html = self.renderer.render(decl.template, data)
        except UndefinedError as exc:
            raise DocumentDataMissing(decl.title, str(exc)) from exc
        digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
        doc_id = uow.documents.add(
            case,
            kind=decl.kind,
            title=decl.title,
            number=number,
            template=decl.template,
            data=data,
            html=html,
            sha256=digest,
            issued_at=at,
            issued_by=actor.name,
        )
        return IssuedRef(doc_id, decl.kind, number, digest, event_hash(data))


def document_data(
    county: CountyContext,
    case: Case,
    compiled: CompiledProcedure,
    state: str,
    title: str,
    context: Mapping[str, Any],
    number: str,
    issued_local: datetime,
    officers: list[dict[str, str]],
) -> dict[str, Any]:
    """Everything a notice template may use, frozen at issue time (JSON-safe): the
    document, the bureau, the case in ``state`` (the one the transition leads to), its
    officers (full name, 执法证号, unit), the party, and the transition's own context."""
    return {
        "title": title,
        "number": number,
        "issued_on": issued_local.date().isoformat(),
        "bureau": {
            "name": county.bureau_name,
            "short": county.bureau_short,
            "county": county.county_name,
            "reconsideration_body": county.reconsideration_body,
            "court": county.court,
            "payment": dict(county.payment),
            "date_style": county.date_style,
            "fonts": {"body": county.fonts.get("body", ""), "title": county.fonts.get("title", "")},
        },
        "case": {
            "ref": case.ref,
            "procedure": compiled.decl.title,
            "state": compiled.state_label(state),
            "source": case.source,
            "unit": case.unit,
            "assignees": list(case.assignees),
            "opened_on": case.opened_at.astimezone(issued_local.tzinfo).date().isoformat(),
            "complainant": str(case.data.get("complainant") or ""),
        },
        "officers": officers,
        "party": {
            "name": case.subject.name,
            "address": case.subject.address,
            "uscc": case.subject.uscc,
        },
        **dict(context),
    }


KEPT = frozenset(
    {"title", "number", "issued_on", "bureau", "running_deadlines", "provisional_deadlines"}
)
"""Kept whatever the template reads: the Word and PDF files' own metadata (title, 文号,
date, the bureau as author and its date style) are made from the first four
(engine/adapters/docx.py); the deadlines as they stood at issue, and which of them rest on
a provisional holiday arrangement, are the record of what the document's dates rest on.
All are small, and none grows with the case."""


def keep_used(data: Mapping[str, Any], fields: TemplateFields | None) -> dict[str, Any]:
    """The part of a document's data its templates read (`Renderer.fields`): what the
    document stores and renders from. A notice shows a few of the case's facts, so it
    stores those — not a copy of the whole case data, which grows with every payment,
    service and notice (600 notices each copying it grew quadratically). Each top-level
    entry is kept whole, reduced to the keys read of it, or dropped when unread."""
    if fields is None:
        return plain_data(data)
    kept: dict[str, Any] = {}
    for name, value in data.items():
        if name not in fields and name not in KEPT:
            continue
        value = plain(value)  # an entry list a template reads is read (once) here
        keys = fields.get(name)
        if keys is None or name in KEPT or not isinstance(value, Mapping):
            kept[name] = value
        else:
            kept[name] = {k: v for k, v in value.items() if k in keys}
    return kept
