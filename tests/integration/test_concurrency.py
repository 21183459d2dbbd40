"""Two writers on one case: exactly one commits, the other gets the conflict error, and
the history has no gap and no duplicate (threads on SQLite, two connections on PostgreSQL)."""

from __future__ import annotations

import threading

from engine.adapters.clock import FixedClock
from engine.bootstrap import App, bootstrap
from engine.domain.errors import VersionConflict
from engine.domain.history import verify_chain
from tests.integration.helpers import open_complaint


def test_two_concurrent_writers(staffed: App, db_url: str, clock: FixedClock) -> None:
    case = open_complaint(staffed)
    seen = case.version
    # Two independent engines (two connection pools), like two users' processes.
    apps = [bootstrap(db_url, clock=clock, county="dingan") for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def act(app: App, trigger: str, payload: dict[str, str]) -> None:
        barrier.wait()
        try:
            app.cases.fire(case.ref, trigger, payload, actor="wang", expected_version=seen)
            result = "ok"
        except VersionConflict:
            result = "conflict"
        with lock:
            outcomes.append(result)

    threads = [
        threading.Thread(target=act, args=(apps[0], "accept", {"summary": "受理"})),
        threading.Thread(target=act, args=(apps[1], "reject", {"ground": "不属于管辖范围"})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["conflict", "ok"]

    view = staffed.queries.get_case(case.ref)
    assert view.case.version == seen + 1
    history = staffed.queries.history(case.ref)
    assert [e.seq for e in history] == [1, 2]
    assert verify_chain(case.ref, history) is None
    assert history[1].trigger in {"accept", "reject"}
    assert view.case.state == {"accept": "accepted", "reject": "not_accepted"}[history[1].trigger]
    # Only the winner's effects exist: a rejection notice only if reject won.
    assert len(view.documents) == (1 if history[1].trigger == "reject" else 0)
    for a in apps:
        a.db.dispose()


def test_many_racing_writers_leave_a_clean_chain(
    staffed: App, db_url: str, clock: FixedClock
) -> None:
    case = open_complaint(staffed)
    app2 = bootstrap(db_url, clock=clock, county="dingan")
    errors: list[BaseException] = []

    def write(app: App, n: int) -> None:
        for i in range(10):
            try:
                app.cases.add_note(case.ref, f"写入者{n}第{i}条", actor="wang")
            except VersionConflict:
                pass
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=write, args=(a, n)) for n, a in enumerate([staffed, app2])]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    history = staffed.queries.history(case.ref)
    assert [e.seq for e in history] == list(range(1, len(history) + 1))
    assert verify_chain(case.ref, history) is None
    assert staffed.queries.get_case(case.ref).case.version == len(history)
    app2.close()
