"""Bulk intake at the size of a platform's monthly batch: a 10,000-row complaint table
(GBK CSV and .xlsx) checked row by row and imported in one transaction, on SQLite (and
PostgreSQL with --postgres), beside the same cases opened one by one through
`CaseCommands.open_case` (a sample, scaled): the ratio is what one transaction saves.

    python bench/import.py [--rows 10000] [--sample 500] [--postgres URL]
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from openpyxl import Workbook
from stdnum.cn import uscc

from db.engine import make_engine, normalise_url
from db.migrate import upgrade
from engine.adapters.clock import FixedClock
from engine.bootstrap import App, bootstrap
from engine.domain.subject import Subject

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
HEADER = [
    "当事人名称",
    "当事人地址",
    "统一社会信用代码",
    "案件来源",
    "投诉人（或代表）姓名",
    "投诉人数",
    "投诉主张的欠薪金额（元）",
    "收到投诉的日期",
]


def code(n: int) -> str:
    body = f"9146902{n:010d}"[:17]
    return body + uscc.calc_check_digit(body)


def rows(count: int, offset: int = 0) -> list[list[str]]:
    return [
        [
            f"定安县第{n}建筑劳务有限公司",
            f"定城镇见龙大道{n}号",
            code(n),
            "全国根治欠薪线索反映平台",
            f"投诉人{n}",
            str(1 + n % 40),
            f"{1000 + n % 900000}.50",
            f"2026-05-{1 + n % 28:02d}",
        ]
        for n in range(offset, offset + count)
    ]


def as_csv(table: list[list[str]]) -> bytes:
    return "\n".join(",".join(r) for r in [HEADER, *table]).encode("gbk")


def as_xlsx(table: list[list[str]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for r in table:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def services(url: str) -> App:
    engine = make_engine(url)
    upgrade(engine)
    app = bootstrap(url, clock=FixedClock(NOW), engine=engine)
    app.users.add_user("admin", "admin", "县人社局办公室", actor=None)
    app.users.add_user("wang", "inspector", "县劳动保障监察大队", actor="admin")
    return app


def timed(label: str, run: object) -> float:
    start = time.perf_counter()
    result = run()  # type: ignore[operator]
    seconds = time.perf_counter() - start
    print(f"  {label:<46} {seconds:8.2f} s   {result}")
    return seconds


def bench(url: str, count: int, sample: int) -> None:
    print(f"\n{normalise_url(url).split('://')[0]}: {count} rows")
    table = rows(count)
    csv_bytes, xlsx_bytes = as_csv(table), as_xlsx(table)
    print(f"  files: CSV (GBK) {len(csv_bytes) // 1024} KB, xlsx {len(xlsx_bytes) // 1024} KB")
    app = services(url)
    intake = app.intake
    timed(
        "preview CSV (read, check every row, duplicates)",
        lambda: len(intake.preview("投诉.csv", csv_bytes, actor="wang").valid),
    )
    timed("preview xlsx", lambda: len(intake.preview("投诉.xlsx", xlsx_bytes, actor="wang").valid))
    bulk = timed(
        "import CSV in one transaction (preview included)",
        lambda: len(intake.import_file("投诉.csv", csv_bytes, actor="wang").opened),
    )
    again = timed(
        "the same file again: every row a duplicate",
        lambda: len(intake.preview("投诉.csv", csv_bytes, actor="wang").invalid),
    )
    one_by_one = rows(sample, offset=count)

    def singly() -> int:
        for r in one_by_one:
            app.cases.open_case(
                procedure="wage_arrears",
                subject=Subject.create(r[0], r[1], r[2]),
                source=r[3],
                actor="wang",
                data={"complainant": r[4], "complainants": r[5], "claimed": r[6]},
            )
        return sample

    single = timed(f"{sample} cases opened one by one (open_case)", singly)
    per_row_bulk = bulk / count * 1000
    per_row_single = single / sample * 1000
    print(
        f"  per case: bulk {per_row_bulk:.2f} ms, one by one {per_row_single:.2f} ms "
        f"(ratio {per_row_single / per_row_bulk:.1f}x); re-check {again / count * 1000:.2f} ms/row"
    )
    app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="caseflow-import-")
    bench(f"sqlite:///{folder}/import.db", args.rows, args.sample)
    if args.postgres:
        name = f"caseflow_import_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(normalise_url(args.postgres), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            bench(
                normalise_url(args.postgres).rsplit("/", 1)[0] + f"/{name}", args.rows, args.sample
            )
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
