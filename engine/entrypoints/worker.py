"""`caseflow worker`: APScheduler wakes the sweep every minute, writes the supervisors'
daily digest and, once a day, an anchor of every chain head to the anchor file outside the
database (`caseflow anchor`). The scheduler holds no state of its own — timers are rows —
so any number of workers may run against one PostgreSQL database, and a killed worker loses
nothing."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from engine.bootstrap import App
from engine.deadlines import LOCAL_TZ

log = logging.getLogger("caseflow.worker")

BackgroundJob = Callable[[App], int]
"""Extra periodic work (e.g. rendering PDFs of issued documents); returns items done."""


def worker_jobs() -> dict[str, BackgroundJob]:
    """The periodic jobs the worker runs besides the sweep and the digest: PDFs of newly
    issued notices are rendered here, never on a user's request path."""

    def render_pdfs(app: App) -> int:
        return app.documents.render_pending(limit=50)

    def deliver_notifications(app: App) -> int:
        run = app.delivery.deliver()
        if run.failed or run.dead:
            log.warning(
                "notifications: %d failed (to retry), %d dead-lettered", run.failed, run.dead
            )
        return run.sent

    return {"render_pdfs": render_pdfs, "deliver_notifications": deliver_notifications}


def build_scheduler(
    app: App,
    *,
    interval_seconds: int = 60,
    digest_hour: int = 8,
    extra_jobs: dict[str, BackgroundJob] | None = None,
    anchor_path: Path | None = None,
    anchor_hour: int = 23,
) -> BlockingScheduler:
    """The worker's jobs; with ``anchor_path``, a daily anchor at ``anchor_hour``:30."""
    scheduler = BlockingScheduler(timezone=LOCAL_TZ)
    sweeper = app.sweeper

    def sweep() -> None:
        result = sweeper.sweep()
        if result.total or result.conflicts:
            log.info(
                "sweep: fired %d, escalated %d, reminders %d, failed %d, conflicts %d",
                result.fired,
                result.escalated,
                result.reminders,
                result.failed,
                result.conflicts,
            )

    def digest() -> None:
        log.info("daily digest: %d supervisor(s)", app.board.send_daily_digest())

    scheduler.add_job(
        sweep,
        "interval",
        seconds=interval_seconds,
        id="sweep",
        max_instances=1,
        coalesce=True,
        next_run_time=app.clock.now(),
    )
    scheduler.add_job(
        digest,
        CronTrigger(hour=digest_hour, minute=0, timezone=LOCAL_TZ),
        id="digest",
        max_instances=1,
        coalesce=True,
    )
    if anchor_path is not None:
        _add_anchor_job(scheduler, app, anchor_path, anchor_hour)
    for name, job in (extra_jobs or {}).items():
        scheduler.add_job(
            _logged(name, job, app),
            "interval",
            seconds=interval_seconds,
            id=name,
            max_instances=1,
            coalesce=True,
        )
    return scheduler


def _add_anchor_job(scheduler: BlockingScheduler, app: App, path: Path, hour: int) -> None:
    """The daily anchor of every chain head, appended to the file at ``path``."""

    def anchor() -> None:
        written = app.integrity.anchor(path)
        log.info("anchor: line %d of %s, root %s", written.line, path, written.short)

    scheduler.add_job(
        anchor,
        CronTrigger(hour=hour, minute=30, timezone=LOCAL_TZ),
        id="anchor",
        max_instances=1,
        coalesce=True,
    )


def _logged(name: str, job: BackgroundJob, app: App) -> Callable[[], None]:
    def run() -> None:
        done = job(app)
        if done:
            log.info("%s: %d", name, done)

    return run


def run_worker(app: App, scheduler: BlockingScheduler) -> None:
    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: stopping after the current job", signum)
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.start()
