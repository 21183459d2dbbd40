"""Reading an uploaded table: an Excel workbook (.xlsx, its first sheet, via openpyxl) or a
CSV file in UTF-8 (with or without BOM) or GBK/GB18030 — what Excel on a Chinese Windows
saves. Anything else is refused with a clear message, never guessed at."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from typing import Any

from engine.domain.errors import CaseflowError

MAX_ROWS = 20000
XLSX_MAGIC = b"PK\x03\x04"


class NotASpreadsheet(CaseflowError):
    code = "NOT_A_SPREADSHEET"

    def __init__(self, name: str, why: str) -> None:
        super().__init__(
            f"文件「{name}」无法读取为表格：{why}。请上传 Excel（.xlsx）或 CSV 文件（可下载模板）",
            file=name,
            reason=why,
        )


Cell = str | int | float | date | None


def _plain(value: Any) -> Cell:
    if isinstance(value, datetime):
        return value.date()
    if value is None or isinstance(value, str | int | float | date):
        return value.strip() if isinstance(value, str) else value
    return str(value)


def _xlsx(name: str, content: bytes) -> list[list[Cell]]:
    from openpyxl import load_workbook  # only when an .xlsx comes in

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise NotASpreadsheet(name, "不是有效的 Excel 工作簿") from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_plain(v) for v in row])
            if len(rows) > MAX_ROWS + 1:
                raise NotASpreadsheet(name, f"超过 {MAX_ROWS} 行，请分批导入")
        return rows
    finally:
        book.close()


def _decode(name: str, content: bytes) -> str:
    if b"\x00" in content:
        raise NotASpreadsheet(name, "含有二进制内容")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotASpreadsheet(name, "文字编码既不是 UTF-8 也不是 GBK")


def _csv(name: str, content: bytes) -> list[list[Cell]]:
    text = _decode(name, content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows: list[list[Cell]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            rows.append([_plain(v) for v in row])
            if len(rows) > MAX_ROWS + 1:
                raise NotASpreadsheet(name, f"超过 {MAX_ROWS} 行，请分批导入")
    except csv.Error as exc:
        raise NotASpreadsheet(name, f"CSV 格式有误（{exc}）") from exc
    return rows


def read_table(name: str, content: bytes) -> list[list[Cell]]:
    """The rows of the file's (first) table, blank rows dropped; the first is the header."""
    if not content:
        raise NotASpreadsheet(name, "文件是空的")
    lowered = name.lower()
    if content.startswith(XLSX_MAGIC) or lowered.endswith(".xlsx"):
        rows = _xlsx(name, content)
    elif lowered.endswith((".xls", ".doc", ".pdf", ".zip")):
        raise NotASpreadsheet(name, "只支持 .xlsx 和 .csv（旧版 .xls 请另存为 .xlsx）")
    else:
        rows = _csv(name, content)
    rows = [r for r in rows if any(v not in (None, "") for v in r)]
    if not rows:
        raise NotASpreadsheet(name, "没有任何内容")
    return rows
