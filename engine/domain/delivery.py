"""Service of documents on a party (送达) and its receipt (送达回证).

Every document served on a party — a decision, an order, a notice, a letter — is served in
one of the ways the law allows and the service is proved by a 送达回证: the document and its
文号, the recipient, the method, the date, the place, and the recipient's signature or why
there is none. 行政处罚法 art. 61 sends the service of a penalty decision to the 民事诉讼法's
rules (direct service signed by the recipient; left at the premises when refused, with
witnesses or a photo/video record; post; posting; electronic service with the party's consent,
art. 61(2)). The service records it in the case and issues the numbered 送达回证.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from engine.domain.county import DocFamily
from engine.domain.declarations import STAY, DocumentDecl, TriggerDecl
from engine.domain.roles import Role

DELIVERY_RECEIPT = DocumentDecl(
    kind="delivery_receipt",
    title="送达回证",
    template="delivery_receipt.html.j2",
    family=DocFamily.INSPECTION,
    abbrev="送",
)
"""The 送达回证 the service issues for each recorded service (its own 文号)."""

RECORD_SERVICE = "record_service"
"""The case command that records a service (as the history and the documents name it)."""


class DeliveryMethod(StrEnum):
    """The ways a document may be served (行政处罚法 art. 61 and the 民事诉讼法 it refers to)."""

    DIRECT = "direct"
    LEFT_AT_PREMISES = "left_at_premises"
    POSTING = "posting"
    POST = "post"
    ELECTRONIC = "electronic"

    @property
    def label(self) -> str:
        return _METHOD_LABELS[self]


_METHOD_LABELS = {
    DeliveryMethod.DIRECT: "直接送达",
    DeliveryMethod.LEFT_AT_PREMISES: "留置送达",
    DeliveryMethod.POSTING: "张贴（公告）送达",
    DeliveryMethod.POST: "邮寄送达",
    DeliveryMethod.ELECTRONIC: "电子送达（经受送达人同意）",
}


class DeliveryRecord(BaseModel):
    """What the officer records of one service (the form behind the 送达回证)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    document: int = Field(gt=0, description="送达的文书（文书编号 ID，见案件的文书列表）")
    recipient: str = Field(
        min_length=1, max_length=200, description="受送达人（当事人单位名称或者姓名）"
    )
    method: DeliveryMethod = Field(description="送达方式")
    served_on: date = Field(description="送达日期（签收、留置、张贴、邮件签收或者电子送达之日）")
    place: str = Field(default="", max_length=200, description="送达地点")
    signed_by: str = Field(
        default="", max_length=100, description="签收人（直接、邮寄送达时签收的人及其身份）"
    )
    refusal: str = Field(default="", max_length=1000, description="拒绝签收的情况和理由")
    witnesses: list[str] = Field(
        default=[], max_length=5, description="见证人（留置送达时到场的见证人，姓名及身份）"
    )
    evidence: list[str] = Field(
        default=[], max_length=10, description="送达过程的照片、录像（案件附件的名称）"
    )
    tracking_no: str = Field(default="", max_length=50, description="邮件单号（邮寄送达）")
    electronic_address: str = Field(
        default="", max_length=200, description="电子送达地址（传真号码、电子邮箱等）"
    )
    consent_on: date | None = Field(
        default=None, description="受送达人同意电子送达并签订确认书的日期"
    )
    note: str = Field(default="", max_length=1000, description="备注")

    @model_validator(mode="after")
    def _method_has_its_proof(self) -> DeliveryRecord:
        for item in [*self.witnesses, *self.evidence]:
            if not item.strip() or len(item) > 200:
                raise ValueError("见证人、照片录像每项不能为空，最长200字")
        m = self.method
        if m is DeliveryMethod.DIRECT and not self.signed_by:
            raise ValueError("直接送达须写明签收人；受送达人拒绝签收的，应改为留置送达")
        if m is DeliveryMethod.LEFT_AT_PREMISES:
            if not self.refusal:
                raise ValueError("留置送达须写明受送达人拒绝签收的情况和理由")
            if not self.witnesses and not self.evidence:
                raise ValueError("留置送达须有见证人，或者以拍照、录像记录送达过程")
        if m is DeliveryMethod.POSTING and not self.evidence:
            raise ValueError("张贴送达须以拍照或者录像记录张贴过程（填写案件附件名称）")
        if m is DeliveryMethod.POST and not self.tracking_no:
            raise ValueError("邮寄送达须写明邮件单号")
        if m is DeliveryMethod.ELECTRONIC:
            if not self.electronic_address or self.consent_on is None:
                raise ValueError(
                    "电子送达须写明电子送达地址和受送达人同意并签订确认书的日期"
                    "（《中华人民共和国行政处罚法》第六十一条第二款）"
                )
            if self.consent_on > self.served_on:
                raise ValueError("受送达人同意电子送达的日期不能晚于送达日期")
        return self


SERVICE_ACTION = TriggerDecl(
    name=RECORD_SERVICE,
    label="记录送达（出具送达回证）",
    source=(),
    dest=STAY,
    roles=frozenset({Role.INSPECTOR, Role.SUPERVISOR}),
    payload=DeliveryRecord,
)
"""The service record as an action on any case (not a transition of its procedure): the
web form is generated from it like a trigger's; the service carries it out."""
