"""Issuing the documents a transition asks for, inside the command's transaction: each gets
the next gap-free number of its type and year (e.g. 定人社监令〔2026〕12号), its data frozen
at issue time, its HTML rendered from its template and stored with its SHA-256, which the
case's history records."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from engine.deadlines import LOCAL_TZ
from engine.domain.case import Case
from engine.domain.county import CountyContext
from engine.domain.decision import Decision, DocumentRequest, IssuedRef
from engine.domain.history import event_hash
from engine.domain.procedure import CompiledProcedure
from engine.service.ports import AbstractUnitOfWork, Renderer


class DocumentIssuer:
    def __init__(self, county: CountyContext, renderer: Renderer) -> None:
        self.county = county
        self.renderer = renderer

    def issue(
        self,
        uow: AbstractUnitOfWork,
        case: Case,
        compiled: CompiledProcedure,
        decision: Decision,
        running: Mapping[str, str],
    ) -> list[IssuedRef]:
        """Number, render and store every document of the decision; ``running`` is the
        deadlines as they stand once the decision is carried out."""
        return [
            self._issue_one(uow, case, compiled, decision, request, running)
            for request in decision.documents
        ]

    def _issue_one(
        self,
        uow: AbstractUnitOfWork,
        case: Case,
        compiled: CompiledProcedure,
        decision: Decision,
        request: DocumentRequest,
        running: Mapping[str, str],
    ) -> IssuedRef:
        local = decision.at.astimezone(LOCAL_TZ)
        decl = request.decl
        prefix = self.county.document_prefix(decl.family, decl.abbrev)
        seq = uow.counters.next(f"doc:{prefix}", local.year)
        number = f"{prefix}〔{local.year}〕{seq}号"
        context = {**request.context, "running_deadlines": dict(running)}
        data = document_data(
            self.county, case, compiled, decision.dest, decl.title, context, number, local
        )
        html = self.renderer.render(decl.template, data)
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
            issued_at=decision.at,
            issued_by=decision.actor.name,
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
) -> dict[str, Any]:
    """Everything a notice template may use, frozen at issue time (JSON-safe): the
    document, the bureau, the case in ``state`` (the one the transition leads to), the
    party, and the transition's own context."""
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
        },
        "case": {
            "ref": case.ref,
            "procedure": compiled.decl.title,
            "state": compiled.state_label(state),
            "source": case.source,
            "unit": case.unit,
            "assignees": list(case.assignees),
            "opened_on": case.opened_at.astimezone(issued_local.tzinfo).date().isoformat(),
        },
        "party": {
            "name": case.subject.name,
            "address": case.subject.address,
            "uscc": case.subject.uscc,
        },
        **dict(context),
    }
