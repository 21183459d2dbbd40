"""A broad case search counts only as far as the pager needs (ten pages ahead, at least
1,000 cases) and says so; a narrow one counts exactly. Overdue cases come from their partial
index in the same order."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from db.bulk import UNITS, insert_mixed_cases, insert_waiting_cases
from db.engine import make_engine
from db.name_search import FTS_BATCH, FTS_TABLE, MARK
from engine.bootstrap import App, bootstrap
from engine.domain.subject import Subject
from engine.service.read_models import CaseQuery

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


def test_broad_searches_stop_counting_where_the_pager_stops(db_url: str) -> None:
    engine = make_engine(db_url)
    insert_mixed_cases(engine, 1_300, now=NOW)
    engine.dispose()
    app = bootstrap(db_url)
    try:
        first = app.queries.search(CaseQuery(per_page=50))
        assert (first.total, first.more, first.pages) == (1_000, True, 20)
        assert first.count_label == "超过 1,000 项"
        assert first.has_next
        # Far enough in, the count reaches the end and is exact again.
        late = app.queries.search(CaseQuery(page=20, per_page=50))
        assert (late.total, late.more, late.pages) == (1_300, False, 26)
        assert late.count_label == "共 1,300 项"
        narrow = app.queries.search(CaseQuery(unit=UNITS[0], overdue_only=True, per_page=50))
        assert not narrow.more
        every_overdue = app.queries.search(CaseQuery(overdue_only=True, per_page=200))
        assert 0 < narrow.total < every_overdue.total < 1_000
        assert all(r.summary.overdue for r in every_overdue.items)
        opened = [r.summary.opened_at for r in every_overdue.items]
        assert opened == sorted(opened, reverse=True)
        assert app.queries.count() == 1_300
    finally:
        app.close()


NAMES = (
    '定安县"百川"劳务有限公司',
    "定安县100%建材商行",
    "定安县O'Brien咨询有限公司",
    "定安县A:B物流有限公司",
    "定安县下划_线科技有限公司",
    "定安县ＡＢＣ测试有限公司",
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"百川"', {0}),
        ("100%建材", {1}),
        ("O'Brien", {2}),
        ("o'brien", {2}),  # case-insensitive for Latin letters, as LIKE is
        ("A:B物流", {3}),
        ("划_线", {4}),
        ("有限公司", {0, 2, 3, 4, 5}),
        ("ＡＢＣ测试", {5}),
        ("ａｂｃ测试", {5}),  # full-width Latin letters fold as the trigram index folds them
        ("张三", {1}),  # two characters: below the trigram, still found
        ("李四丰", {3}),  # the complainant
        ("不存在的名称", set()),
    ],
)
@pytest.mark.parametrize("indexed", [False, True], ids=["tail", "indexed"])
def test_name_search_finds_exactly_the_names_containing_the_text(
    staffed: App, text: str, expected: set[int], indexed: bool
) -> None:
    """Found alike whether the names are still in the tail that SQLite indexes in batches
    (db/name_search.py) or already in the FTS5 index (``indexed``: a batch of other cases
    opened after them)."""
    refs = []
    for i, name in enumerate(NAMES):
        complainant = {1: "张三", 3: "李四丰"}.get(i, "")
        case = staffed.cases.open_case(
            procedure="wage_arrears",
            subject=Subject.create(name, "定安县定城镇", "91469021MA5T3XY14R"),
            source="投诉",
            actor="wang",
            data={"complainant": complainant, "complainants": 1, "claimed": "1000"},
            matter="wage_arrears",
        )
        refs.append(case.ref)
    if indexed:
        insert_waiting_cases(staffed.db, FTS_BATCH, due_at=NOW, opened_at=NOW)
    found = staffed.queries.search(CaseQuery(text=text))
    assert {r.summary.ref for r in found.items} == {refs[i] for i in expected}
    assert found.total == len(expected)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_indexes_new_names_in_batches(staffed: App) -> None:
    """SQLite's FTS5 index (PostgreSQL's trigram indexes follow every row): a new case's
    names wait in the tail until a batch is full; the insert that fills it indexes the
    batch and moves the mark, and the search finds every name either way. A delete takes a
    case out of the index only where the index holds it."""

    def state() -> tuple[int, int]:
        with staffed.db.connect() as conn:
            mark = conn.exec_driver_sql(f"SELECT up_to FROM {MARK}").scalar_one()
            rows = conn.exec_driver_sql(
                f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH '\"批量单位\"'"
            ).scalar_one()
        return mark, rows

    insert_waiting_cases(staffed.db, FTS_BATCH - 1, due_at=NOW, opened_at=NOW)
    assert state() == (0, 0)  # all in the tail
    assert staffed.queries.search(CaseQuery(text="批量单位", per_page=200)).total == FTS_BATCH - 1
    with staffed.db.connect() as conn:
        segments = conn.exec_driver_sql(f"SELECT count(*) FROM {FTS_TABLE}_data").scalar_one()
    insert_waiting_cases(staffed.db, 1, due_at=NOW, opened_at=NOW, prefix="FULL")
    mark, indexed = state()
    assert (mark, indexed) == (FTS_BATCH, FTS_BATCH)
    with staffed.db.connect() as conn:  # the batch is one segment: its last case not twice
        after = conn.exec_driver_sql(f"SELECT count(*) FROM {FTS_TABLE}_data").scalar_one()
    assert after - segments == 1
    insert_waiting_cases(staffed.db, 3, due_at=NOW, opened_at=NOW, prefix="NEXT")
    assert state() == (FTS_BATCH, FTS_BATCH)
    assert staffed.queries.search(CaseQuery(text="批量单位", per_page=200)).total == FTS_BATCH + 3
    with staffed.db.begin() as conn:  # one indexed case and one of the tail, with their rows
        for case_id in (1, FTS_BATCH + 2):
            for table in ("timers", "history", "case_assignees"):
                conn.exec_driver_sql(f"DELETE FROM {table} WHERE case_id = {case_id}")
            conn.exec_driver_sql(f"DELETE FROM cases WHERE id = {case_id}")
    assert state() == (FTS_BATCH, FTS_BATCH - 1)
    assert staffed.queries.search(CaseQuery(text="批量单位", per_page=200)).total == FTS_BATCH + 1
    with staffed.db.connect() as conn:  # the index still agrees with what it holds
        conn.exec_driver_sql(
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 0)"
        )
