"""A deadline running into 2027 is provisional until the county imports the 2027
arrangement; the import recomputes it and writes the change into the case history."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.adapters.clock import FixedClock
from engine.bootstrap import App, bootstrap
from engine.domain.errors import NotPermitted
from engine.entrypoints.cli import app as cli_app
from engine.service.calendar_admin import CalendarFileInvalid
from engine.service.context import CALENDAR_CACHE_SECONDS, CalendarCache
from tests.integration.helpers import open_complaint

FIXTURE = Path(__file__).parents[1] / "fixtures" / "calendar_2027.toml"


def _investigation_into_2027(app: App, clock: FixedClock) -> str:
    clock.set(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))  # Tuesday 10:00 in Beijing
    svc = app
    case = open_complaint(app)
    svc.cases.fire(case.ref, "accept", {}, actor="wang")
    svc.cases.assign(case.ref, ["wang", "li"], actor="chen")
    svc.cases.fire(case.ref, "start_investigation", actor="wang")
    return case.ref


def test_import_recomputes_provisional_deadlines(staffed: App, clock: FixedClock) -> None:
    ref = _investigation_into_2027(staffed, clock)
    [timer] = staffed.queries.get_case(ref).timers
    # Statutory 2027 holidays only: Spring Festival 02-05..02-08 plus 补假 02-09, 02-10.
    assert (timer.last_day, timer.provisional) == ("2027-03-02", True)
    board = staffed.board.all_rows()
    assert [(r.case_ref, r.provisional) for r in board] == [(ref, True)]

    result = staffed.calendar.import_arrangements(FIXTURE.read_text("utf-8"), actor="admin")
    assert result.years == [2027]
    assert [(r.case_ref, r.before, r.after, r.still_provisional) for r in result.recomputed] == [
        (ref, "2027-03-02", "2027-03-03", False)
    ]
    [timer] = staffed.queries.get_case(ref).timers
    # Official arrangement: Spring Festival 02-05..02-13, Saturday 02-20 worked.
    assert (timer.last_day, timer.provisional) == ("2027-03-03", False)
    last = staffed.queries.history(ref)[-1]
    assert str(last.kind) == "deadline" and last.actor == "admin"
    assert last.payload == {
        "timer": "investigation",
        "before": "2027-03-02",
        "after": "2027-03-03",
        "provisional": False,
    }
    assert "由 2027-03-02 调整为 2027-03-03" in last.reason
    assert staffed.queries.verify().broken == []
    view = staffed.calendar.show_year(2027)
    assert view.kind == "imported" and view.holidays[datetime(2027, 2, 12).date()] == "春节"

    # A second import of the same year replaces it; nothing is provisional any more.
    again = staffed.calendar.import_arrangements(FIXTURE.read_text("utf-8"), actor="admin")
    assert again.replaced == [2027] and again.recomputed == []


def test_import_needs_admin_and_a_valid_file(staffed: App, clock: FixedClock) -> None:
    with pytest.raises(NotPermitted):
        staffed.calendar.import_arrangements(FIXTURE.read_text("utf-8"), actor="chen")
    bad = FIXTURE.read_text("utf-8").replace("2027-02-13", "2027-02-30")
    with pytest.raises(CalendarFileInvalid) as err:
        staffed.calendar.import_arrangements(bad, actor="admin")
    assert "2027-02-30" in err.value.message
    assert staffed.calendar.show_year(2027).kind == "statutory"  # nothing half-written


def test_calendar_cli(staffed: App, clock: FixedClock, db_url: str, tmp_path: Path) -> None:
    ref = _investigation_into_2027(staffed, clock)
    runner = CliRunner()
    shown = runner.invoke(cli_app, ["--db", db_url, "calendar", "show", "2027", "--json"])
    assert json.loads(shown.stdout)["kind"] == "statutory"
    board = runner.invoke(cli_app, ["--db", db_url, "deadlines", "--json"])
    assert json.loads(board.stdout)[0]["provisional"] is True
    done = runner.invoke(
        cli_app, ["--db", db_url, "--as", "admin", "calendar", "import", str(FIXTURE)]
    )
    assert done.exit_code == 0, done.output
    assert f"{ref} investigation：2027-03-02 → 2027-03-03" in done.stdout
    broken = tmp_path / "bad.toml"
    broken.write_text("[[year]]\nyear = 2027\n", "utf-8")
    failed = runner.invoke(
        cli_app, ["--db", db_url, "--as", "admin", "calendar", "import", str(broken), "--json"]
    )
    assert failed.exit_code == 2
    assert json.loads(failed.stdout)["error"]["code"] == "CALENDAR_FILE_INVALID"


def test_a_provisional_file_keeps_its_deadlines_provisional(
    staffed: App, clock: FixedClock
) -> None:
    ref = _investigation_into_2027(staffed, clock)
    draft = FIXTURE.read_text("utf-8").replace(
        'source = "测试用', 'provisional = true\nsource = "测试用', 1
    )
    assert "provisional = true" in draft
    result = staffed.calendar.import_arrangements(draft, actor="admin")
    assert [(r.case_ref, r.after, r.still_provisional) for r in result.recomputed] == [
        (ref, "2027-03-03", True)
    ]
    [timer] = staffed.queries.get_case(ref).timers
    assert (timer.last_day, timer.provisional) == ("2027-03-03", True)
    assert [r.provisional for r in staffed.board.all_rows()] == [True]
    view = staffed.calendar.show_year(2027)
    assert view.kind == "imported" and view.provisional is True
    # The official arrangement, imported later, clears the flag.
    final = staffed.calendar.import_arrangements(FIXTURE.read_text("utf-8"), actor="admin")
    assert [r.still_provisional for r in final.recomputed] == [False]


def test_another_process_counts_on_an_import_within_seconds(
    staffed: App, clock: FixedClock, db_url: str
) -> None:
    """A second process (another web worker, the sweep's worker) reads the imported years
    again within CALENDAR_CACHE_SECONDS of an import made elsewhere, not at its restart."""
    other = bootstrap(db_url, clock=clock, county="dingan")
    ticks = [0.0]
    other.context.calendars = CalendarCache(monotonic=lambda: ticks[0])
    try:
        before = _investigation_into_2027(other, clock)  # its calendar read: statutory 2027
        staffed.calendar.import_arrangements(FIXTURE.read_text("utf-8"), actor="admin")
        ticks[0] = CALENDAR_CACHE_SECONDS / 2  # not yet read again
        stale = _investigation_into_2027(other, clock)
        ticks[0] = CALENDAR_CACHE_SECONDS  # read again: the import counts
        fresh = _investigation_into_2027(other, clock)
        days = {
            ref: (t.last_day, t.provisional)
            for ref in (before, stale, fresh)
            for t in staffed.queries.get_case(ref).timers
        }
        assert days[before] == ("2027-03-03", False)  # the import recomputed it
        assert days[stale] == ("2027-03-02", True)
        assert days[fresh] == ("2027-03-03", False)
    finally:
        other.close()
