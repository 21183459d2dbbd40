"""Where a caseflow case's time goes, stage by stage: the bench/peers.py scenario on SQLite
(synchronous=NORMAL), run once plain and once with each stage of the command path timed.

A stage's time is its own (exclusive): the time inside a nested stage counts for that one
only, so the rows add up to the instrumented run's time; the SQL rows are the driver's own
time (`db.fast._run` with the cursor and its listeners, and the COMMIT) — a query's further
rows are stepped through where they are fetched, and BEGIN runs in the unit of work's begin,
so SQLite's share is a lower bound. Timing each call costs about a microsecond, so the
instrumented run is a little slower than the plain one, which both lines show.

    python bench/stages.py [--cases 500] [--sync NORMAL]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from peers import run

import db.cases
import db.fast
import db.repositories
import db.timers
import db.uow
import engine.domain.case
import engine.domain.procedure
import engine.service.case_commands
import engine.service.context
import engine.service.issuing
import engine.service.sweep
import engine.service.timer_effects
from engine.adapters.notices import JinjaNoticeRenderer

STAGES: list[tuple[str, Any, str]] = [
    # (label, owner, attribute): the owner's attribute is wrapped in place
    ("a command (the service's own work)", engine.service.case_commands.CaseCommands, "fire"),
    ("opening a case (the service's own)", engine.service.case_commands.CaseCommands, "open_case"),
    ("assigning (the service's own)", engine.service.case_commands.CaseCommands, "assign"),
    ("the sweep (its own)", engine.service.sweep.Sweeper, "sweep"),
    ("unit of work: begin", db.uow.SqlUnitOfWork, "__enter__"),
    ("unit of work: commit (Python)", db.uow.SqlUnitOfWork, "commit"),
    ("unit of work: end", db.uow.SqlUnitOfWork, "__exit__"),
    ("the acting user", engine.service.context.ServiceContext, "actor"),
    ("reading the case (Python)", db.cases.SqlCaseRepository, "get"),
    ("reading: the case's columns mapped", db.cases, "mapped"),
    ("reading: the Case built", db.cases, "case_from_row"),
    ("reading: its timers built", db.timers.SqlTimerRepository, "remember"),
    ("opening: the new Case and its event", engine.domain.case.Case, "open"),
    ("opening: the rows written (Python)", db.cases.SqlCaseRepository, "add"),
    ("payload checked (pydantic)", engine.domain.case, "_validated"),
    ("the county's settings and calendar", engine.service.context.ServiceContext, "settings"),
    ("the windows as they stand", engine.service.timer_effects, "windows_of"),
    ("deciding: checks, effect, context", engine.domain.case.Case, "decide"),
    ("deciding: the Machine", engine.domain.procedure.CompiledProcedure, "fire"),
    ("deciding: deadlines counted", engine.domain.case, "start_timers"),
    ("timer writes held", engine.service.timer_effects, "carry_out"),
    ("notice: data, hash", engine.service.issuing.DocumentIssuer, "issue"),
    ("notice: rendering (Jinja)", JinjaNoticeRenderer, "render"),
    ("notice: storing (Python)", db.repositories.SqlDocumentRepository, "add"),
    ("number from the counter (Python)", db.repositories.SqlCounterRepository, "next"),
    ("the event (hash chain)", engine.domain.case.Case, "apply"),
    ("writing the step (Python)", db.cases.SqlCaseRepository, "save"),
    ("SQLite: statements", db.fast, "_run"),
]
COMMIT = "SQLite: COMMIT"


@dataclass
class _Frame:
    started: float
    nested: float = 0.0
    """Time spent in the stages entered inside this one."""


class Clock:
    """Exclusive time per stage: a stack of the stages entered."""

    def __init__(self) -> None:
        self.own: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[_Frame] = []

    def reset(self) -> None:
        """Forget what was timed so far (the warm-up case, outside the timed run)."""
        self.own.clear()
        self.calls.clear()

    def wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        stack, own, calls, clock = self._stack, self.own, self.calls, time.perf_counter

        def timed(*args: Any, **kw: Any) -> Any:
            frame = _Frame(clock())
            stack.append(frame)
            try:
                return fn(*args, **kw)
            finally:
                stack.pop()
                spent = clock() - frame.started
                own[label] += spent - frame.nested
                calls[label] += 1
                if stack:
                    stack[-1].nested += spent

        return timed


def instrument(clock: Clock) -> Callable[[], None]:
    """Wrap every stage (and the driver's COMMIT); returns what undoes it."""
    undo: list[tuple[Any, str, Any]] = []
    for label, owner, name in STAGES:
        original = owner.__dict__[name]
        undo.append((owner, name, original))
        if isinstance(original, classmethod):
            setattr(owner, name, classmethod(clock.wrap(label, original.__func__)))
        else:
            setattr(owner, name, clock.wrap(label, original))
    import sqlalchemy.engine.default as default

    do_commit = default.DefaultDialect.do_commit
    undo.append((default.DefaultDialect, "do_commit", do_commit))
    default.DefaultDialect.do_commit = clock.wrap(COMMIT, do_commit)  # type: ignore[method-assign]

    def restore() -> None:
        for owner, name, original in reversed(undo):
            setattr(owner, name, original)

    return restore


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--chunk", type=int, default=50)
    parser.add_argument("--sync", default="NORMAL")
    args = parser.parse_args()
    plain, _ = run(None, [args.sync], args.cases, ["caseflow"], args.chunk)
    timer = Clock()
    restore = instrument(timer)
    try:  # the warm-up case is outside the timed run: its stages are forgotten
        timed, _ = run(None, [args.sync], args.cases, ["caseflow"], args.chunk, warmed=timer.reset)
    finally:
        restore()
    n = timed[0].cases
    total = timed[0].seconds
    print(f"\n== caseflow on SQLite, synchronous={args.sync}: {n} cases")
    print(f"  plain run:        {plain[0].seconds / plain[0].cases * 1000:7.3f} ms a case")
    print(f"  instrumented run: {total / n * 1000:7.3f} ms a case (the rows below)")
    print(f"  {'stage':<38} {'µs a case':>10} {'share':>7} {'calls a case':>13}")
    counted = 0.0
    for label, spent in sorted(timer.own.items(), key=lambda kv: -kv[1]):
        counted += spent
        calls = timer.calls[label] / n
        print(f"  {label:<38} {spent / n * 1e6:10.1f} {spent / total:7.1%} {calls:13.2f}")
    rest = total - counted
    outside = "the bench itself, outside any stage"
    print(f"  {outside:<38} {rest / n * 1e6:10.1f} {rest / total:7.1%}")


if __name__ == "__main__":
    main()
