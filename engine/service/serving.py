"""Recording the service of a document on a party (送达) in one transaction: the record is
checked (the document is the case's and one that goes to someone, the date is neither in the
future nor before the document was issued, the photos or videos named are attachments of the
case), kept in ``case.data["services"]``, and the numbered 送达回证 issued from it; the case's
history records the service with the receipt's SHA-256 (engine/domain/delivery.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.deadlines import LOCAL_TZ
from engine.domain.case import Case
from engine.domain.data_patch import data_patch
from engine.domain.delivery import DELIVERY_RECEIPT, RECORD_SERVICE, DeliveryRecord
from engine.domain.entries import appended
from engine.domain.errors import InvalidInput
from engine.domain.history import EventKind
from engine.domain.payloads import validate_payload
from engine.domain.permissions import require_role
from engine.domain.roles import Role
from engine.service.context import ServiceContext, actor_of
from engine.service.issuing import DocumentIssuer
from engine.service.locking import load
from engine.service.ports import AbstractUnitOfWork
from engine.service.read_models import IssuedDocument

SERVERS = (Role.INSPECTOR, Role.SUPERVISOR)
LABEL = "记录送达（送达回证）"


def record_service(
    ctx: ServiceContext,
    issuer: DocumentIssuer,
    ref: str,
    raw: Mapping[str, Any] | None,
    *,
    actor: str,
    expected_version: int | None = None,
) -> Case:
    checked = validate_payload(LABEL, DeliveryRecord, raw)
    assert isinstance(checked, DeliveryRecord)
    with ctx.uow() as uow:
        who = actor_of(uow, actor)
        require_role(who, SERVERS, LABEL)
        case, version = load(uow, ref, expected_version)
        now = ctx.clock.now()
        served = _served_document(uow, case, checked)
        _check_date(checked, served, now.astimezone(LOCAL_TZ).date())
        _check_evidence(uow, case, checked)
        record = {
            **checked.model_dump(mode="json"),
            "method_label": checked.method.label,
            "document_title": served.title,
            "document_number": served.number,
            "document_issued_on": served.issued_at.astimezone(LOCAL_TZ).date().isoformat(),
        }
        earlier = case.data.get("services")  # not read: appended (engine/domain/entries.py)
        data = {**case.data, "services": appended(earlier, record)}
        compiled = ctx.registry.get(case.procedure, case.procedure_version)
        context = {
            "trigger": RECORD_SERVICE,
            "payload": checked.model_dump(mode="json"),
            "data": data,
            "service": record,  # what the receipt shows (not the whole list of services)
            "deadlines": {},
            "running_deadlines": {},
            "reason": "",
        }
        issued = issuer.issue_document(
            uow, case, compiled, DELIVERY_RECEIPT, context, now, who, case.state
        )
        receipt = {"id": issued.id, "number": issued.number}
        services = appended(earlier, {**record, "receipt": receipt})
        written = data_patch(case.data, {"services": services})
        case.data["services"] = services
        event = case.record(
            EventKind.DOCUMENT,
            who,
            now,
            trigger=RECORD_SERVICE,
            # `_data`: what the step wrote into the case data, so `verify` replays it.
            payload={
                **checked.model_dump(mode="json"),
                "_documents": [issued.as_json()],
                "_data": written,
            },
        )
        uow.cases.save(case, version, [event])
        uow.commit()
    return case


def _served_document(uow: AbstractUnitOfWork, case: Case, record: DeliveryRecord) -> IssuedDocument:
    doc = uow.documents.get(record.document)
    if doc is None or doc.case_ref != case.ref:
        raise InvalidInput("送达的文书", f"本案没有 ID 为 {record.document} 的文书")
    if doc.kind == DELIVERY_RECEIPT.kind:
        raise InvalidInput("送达的文书", f"{doc.number} 是送达回证本身，不需要送达")
    if 'data-kind="internal"' in doc.html:
        raise InvalidInput(
            "送达的文书", f"{doc.title}（{doc.number}）是内部文书，附卷存档，不向当事人送达"
        )
    return doc


def _check_date(record: DeliveryRecord, doc: IssuedDocument, today: Any) -> None:
    issued_on = doc.issued_at.astimezone(LOCAL_TZ).date()
    if record.served_on > today:
        raise InvalidInput("送达日期", f"{record.served_on} 晚于今天（{today}），不能预先记录送达")
    if record.served_on < issued_on:
        raise InvalidInput("送达日期", f"{record.served_on} 早于{doc.title}的签发日期 {issued_on}")


def _check_evidence(uow: AbstractUnitOfWork, case: Case, record: DeliveryRecord) -> None:
    if not record.evidence:
        return
    names = {a.name for a in uow.attachments.for_case(case.ref)}
    missing = [n for n in record.evidence if n not in names]
    if missing:
        raise InvalidInput(
            "送达过程的照片、录像",
            f"本案没有附件：{'、'.join(missing)}（先用 caseflow attach 上传，再记录送达）",
        )
