"""批量登记: upload an .xlsx or .csv of complaints, see every row checked (errors in
Chinese, per row), then import — all rows, or only the valid ones — in one go."""

from __future__ import annotations

import base64
import binascii
from collections.abc import AsyncIterator
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from engine.domain.errors import CaseflowError, InvalidInput
from engine.entrypoints.web.deps import Services, Session, checked_form, page
from engine.service.bulk_intake import IntakePreview, template

router = APIRouter(prefix="/cases/import")

MAX_BYTES = 8 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _upload_form(request: Request, session: Session) -> AsyncIterator[dict[str, Any]]:
    """The form with its file (and, on the import, the previewed file carried back in a
    field): parsed with room for a spreadsheet, then CSRF-checked as every form; its file
    is closed after the request."""
    form = await request.form(max_part_size=2 * MAX_BYTES, max_files=1)
    try:
        yield await checked_form(request, session)
    finally:
        await form.close()


UploadForm = Annotated[dict[str, Any], Depends(_upload_form)]


def _form_page(
    request: Request, services: Services, error: str = "", status: int = 200
) -> Response:
    context = {"procedures": services.registry.all_latest(), "error": error}
    return page(request, "cases/import.html", context, status=status)


@router.get("")
def upload_form(request: Request, services: Services, session: Session) -> Response:
    return _form_page(request, services)


@router.get("/template.xlsx")
def download_template(
    services: Services, session: Session, procedure: str = "wage_arrears"
) -> Response:
    content = template(services.intake.columns(procedure))
    name = quote("批量登记模板.xlsx")
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{name}"}
    return Response(content, media_type=XLSX, headers=headers)


def _preview_page(
    request: Request, preview: IntakePreview, content: bytes, error: str = "", status: int = 200
) -> Response:
    context = {
        "preview": preview,
        "content": base64.b64encode(content).decode(),
        "error": error,
    }
    return page(request, "cases/import_preview.html", context, status=status)


@router.post("/preview")
async def preview(
    request: Request, services: Services, session: Session, form: UploadForm
) -> Response:
    upload = form.get("file")
    if upload is None or not hasattr(upload, "read"):
        return _form_page(request, services, "请选择要导入的文件", 422)
    content = await upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        return _form_page(request, services, f"文件超过 {MAX_BYTES // 1024 // 1024} MB", 422)
    name = str(upload.filename or "upload")[:200]
    try:
        checked = services.intake.preview(
            name,
            content,
            actor=session.user.name,
            procedure=str(form.get("procedure") or "wage_arrears"),
        )
    except CaseflowError as exc:
        return _form_page(request, services, f"{exc.message}（{exc.code}）", 422)
    return _preview_page(request, checked, content)


@router.post("")
async def import_file(
    request: Request, services: Services, session: Session, form: UploadForm
) -> Response:
    try:
        content = base64.b64decode(str(form.get("content", "")), validate=True)
    except binascii.Error:
        raise InvalidInput("导入文件", "内容已损坏，请重新上传") from None
    name = str(form.get("name", "upload"))[:200]
    procedure = str(form.get("procedure") or "wage_arrears")
    only_valid = form.get("mode") == "valid"
    try:
        result = services.intake.import_file(
            name, content, actor=session.user.name, procedure=procedure, only_valid=only_valid
        )
    except CaseflowError as exc:
        try:
            again = services.intake.preview(
                name, content, actor=session.user.name, procedure=procedure
            )
        except CaseflowError:
            return _form_page(request, services, f"{exc.message}（{exc.code}）", 422)
        return _preview_page(request, again, content, f"{exc.message}（{exc.code}）", 422)
    return page(request, "cases/import_done.html", {"result": result, "name": name})
