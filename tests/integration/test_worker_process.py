"""`caseflow worker`: APScheduler wakes the sweep; a due timer fires without anyone asking,
and SIGTERM stops the worker cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from db.bulk import insert_waiting_cases
from engine.bootstrap import App, bootstrap
from engine.entrypoints.worker import build_scheduler, worker_jobs
from tests.integration.test_workers import _fired_counts

WORKER = "from engine.entrypoints.cli import main; main()"


def test_scheduler_has_the_sweep_and_the_daily_digest(app: App) -> None:
    scheduler = build_scheduler(app, interval_seconds=60, digest_hour=8, extra_jobs=worker_jobs())
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"sweep", "digest", "render_pdfs", "deliver_notifications"}
    sweep, digest = jobs["sweep"].trigger, jobs["digest"].trigger
    assert isinstance(sweep, IntervalTrigger) and sweep.interval == timedelta(minutes=1)
    assert isinstance(digest, CronTrigger) and "hour='8'" in str(digest)


def test_worker_process_fires_due_timers_and_stops_on_sigterm(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'worker.db'}"
    setup = bootstrap(url, migrate=True)
    now = datetime.now(UTC)
    insert_waiting_cases(
        setup.db, 5, due_at=now - timedelta(minutes=5), opened_at=now - timedelta(days=8)
    )
    env = {**os.environ, "CASEFLOW_COUNTY": "dingan"}
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER, "--db", url, "worker", "--interval", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _fired_counts(setup.db)[0] < 5:
            time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    assert _fired_counts(setup.db) == (5, 1, 0), out
    assert proc.returncode == 0, out
    assert "worker 已启动" in out
    setup.close()
