"""CLI commands on notice documents: list a case's notices, write one out as HTML, Word or
PDF, and check that one re-renders to the bytes that were issued."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from engine.domain.errors import InvalidInput
from engine.entrypoints import views
from engine.entrypoints.cli._common import (
    JsonOption,
    console,
    fail_message,
    ok,
    print_json,
    reporting,
    settings,
    styled,
)
from engine.service.document_ports import DocumentFormat, FileInfo
from engine.service.documents import NoticeListing, RenderedDocument, ReproductionCheck

notice_app = typer.Typer(help="文书：输出为 HTML / Word / PDF，核验", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("notices")(list_notices)
    app.add_typer(notice_app, name="notice")


def list_notices(
    ctx: typer.Context,
    case_ref: str = typer.Argument(..., metavar="CASE", help="案件编号"),
    as_json: bool = JsonOption,
) -> None:
    """列出案件的文书：编号、文号、签发时间、SHA-256、PDF 是否已由后台生成。"""
    s = settings(ctx)
    with reporting(as_json):
        listing = s.app().documents.notices(case_ref)
    if as_json:
        print_json([notice_dict(n) for n in listing])
        return
    console.print(styled((case_ref, "bold"), f" 的文书（{len(listing)} 份）："))
    for n in listing:
        d = n.document
        pdf = "PDF 已生成" if n.file(DocumentFormat.PDF) else "PDF 待生成"
        console.print(
            f"  [{d.id}] {d.title} {d.number}  签发：{views.local_short(d.issued_at)} "
            f"{d.issued_by}  SHA-256 {d.sha256[:16]}…  {pdf}"
        )
    if listing:
        console.print("输出文书：caseflow notice render 编号 --format html|docx|pdf -o 文件")


@notice_app.command("render")
def render(
    ctx: typer.Context,
    document_id: int = typer.Argument(..., metavar="ID", help="文书编号（见 caseflow notices）"),
    fmt: str = typer.Option("pdf", "--format", "-f", help="html（存档原件）、docx（可编辑）或 pdf"),
    output: str = typer.Option(..., "--output", "-o", help="输出文件；- 表示写到标准输出"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
    as_json: bool = JsonOption,
) -> None:
    """把一份文书输出为文件：html（存档原件）、docx（Word，可编辑）或 pdf（打印、送达）。"""
    s = settings(ctx)
    if output != "-" and Path(output).exists() and not force:
        fail_message(
            "FILE_EXISTS", f"文件 {output} 已存在；要覆盖请加 --force，或换一个文件名", as_json
        )
    with reporting(as_json):
        rendered = s.app().documents.render(document_id, fmt)
    if output == "-":
        sys.stdout.buffer.write(rendered.content)
        sys.stdout.buffer.flush()
        return
    path = Path(output)
    with reporting(as_json):
        _write(path, rendered.content)
    if as_json:
        print_json(rendered_dict(rendered, path))
        return
    d = rendered.document
    how = "存档文件" if rendered.stored else "即时生成"
    ok(
        f"已输出 {d.title} {d.number}（{rendered.format.label}，{how}，"
        f"{len(rendered.content)} 字节）→ {path}"
    )
    console.print(f"  SHA-256 {rendered.sha256}")


@notice_app.command("check")
def check(
    ctx: typer.Context,
    document_id: int = typer.Argument(..., metavar="ID", help="文书编号"),
    as_json: bool = JsonOption,
) -> None:
    """核验文书：用存档数据重新生成，应与签发时的内容逐字节一致。"""
    s = settings(ctx)
    with reporting(as_json):
        result = s.app().documents.check(document_id)
    d = result.document
    if as_json:
        print_json(check_dict(result))
    elif result.same:
        console.print(
            styled(("核验通过", "green"), f"：{d.title} {d.number} 重新生成后与签发时逐字节一致。")
        )
    else:
        console.print(
            styled(
                ("不一致", "bold red"),
                f"：{d.title} {d.number} 签发时 SHA-256 {d.sha256[:16]}…，"
                f"存档内容 {result.stored_sha256[:16]}…，重新生成 {result.rendered_sha256[:16]}…"
                "（存档内容被改动，或模板、数据在签发后被改动）",
            )
        )
    if not result.same:
        raise typer.Exit(1)


def _write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise InvalidInput("输出文件", f"{path} 无法写入：{exc.strerror or exc}") from exc


# -- plain-data views ---------------------------------------------------------------------


def file_dict(f: FileInfo) -> dict[str, Any]:
    return {
        "format": f.format.value,
        "size": f.size,
        "sha256": f.sha256,
        "source_sha256": f.source_sha256,
        "renderer": f.renderer,
        "rendered_at": views.local(f.rendered_at),
    }


def notice_dict(n: NoticeListing) -> dict[str, Any]:
    return {
        **views.document_dict(n.document),
        "template": n.document.template,
        "pdf_ready": n.file(DocumentFormat.PDF) is not None,
        "files": [file_dict(f) for f in n.files],
    }


def rendered_dict(r: RenderedDocument, path: Path) -> dict[str, Any]:
    return {
        "id": r.document.id,
        "number": r.document.number,
        "format": r.format.value,
        "path": str(path),
        "size": len(r.content),
        "sha256": r.sha256,
        "stored": r.stored,
    }


def check_dict(c: ReproductionCheck) -> dict[str, Any]:
    return {
        "id": c.document.id,
        "number": c.document.number,
        "template": c.document.template,
        "issued_sha256": c.document.sha256,
        "stored_sha256": c.stored_sha256,
        "rendered_sha256": c.rendered_sha256,
        "same": c.same,
    }
