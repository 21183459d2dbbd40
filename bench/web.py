"""The web application under load: uvicorn serving 100,000 cases to 20 people at once.

Twenty simulated users (inspectors, each signed in with their own session, pausing between
clicks as a person reading the page does: exponential, mean `--think` seconds, 0 for
back-to-back saturation) loop over a mix of case pages (60 %), searches (25 %) and actions
(15 %: the action form, then the posted command — a partial payment recorded on one of their
own cases). Every request's latency is recorded per page kind; p50/p99 and requests per second
are printed beside the same operations called directly on the service layer in this process
(one caller), so the ratio is what HTTP, sessions, CSRF checks and page rendering add.

    python bench/web.py [--cases 100000] [--users 20] [--rounds 40] [--think 0.5]
                        [--postgres URL] [--no-sqlite] [--workers-pg 2]

SQLite runs with one uvicorn worker (one writer; WAL readers in the thread pool), PostgreSQL
with two. Targets on this 2-core machine: case page and search p99 < 150 ms, action p99 <
250 ms. The load generator shares the two cores with the server, so the figures are an upper
bound on what a separate client machine would see.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx

from db.bulk import INSPECTORS, UNITS, insert_mixed_cases, scratch_database
from db.engine import make_engine
from db.migrate import upgrade
from engine.bootstrap import App, bootstrap
from engine.service.read_models import CaseQuery

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
LOGIN = re.compile(r'name="login_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
KINDS = ("case page", "search", "action form", "action")
TARGETS = {"case page": 150.0, "search": 150.0, "action": 250.0}
SEARCHES = (
    {"q": "制衣有限公司第4"},
    {"q": "91469021MA5T3XY14R"},
    {"unit": UNITS[0]},
    {"status": "overdue"},
    {"procedure": "wage_arrears", "status": "open"},
    {"page": "40"},
)


def password(name: str) -> str:
    return f"{name}-bench-2026"


@dataclass
class Load:
    cases: int
    now: datetime
    refs: list[str] = field(default_factory=list)

    def ref(self, i: int) -> str:
        """The number db.bulk gave case i."""
        opened = self.now - timedelta(minutes=(self.cases - i) * 10)
        return f"WA{opened.year}-{i + 1:07d}"

    def own_cases(self, inspector: int, lane: int, lanes: int) -> list[int]:
        """Cases whose first inspector is this one, split into lanes so that two sessions of
        one inspector never act on the same case (no version conflicts by construction)."""
        return [i for i in range(inspector, self.cases, 8) if (i // 8) % lanes == lane][:5000]


def prepare(url: str, cases: int) -> Load:
    now = datetime.now(UTC).replace(microsecond=0)
    engine = make_engine(url, sqlite_synchronous="NORMAL")
    upgrade(engine)
    t0 = time.perf_counter()
    insert_mixed_cases(engine, cases, now=now)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    app = bootstrap(url, engine=engine)
    app.users.add_user("admin", "admin", "县人社局", "管理员", actor=None)
    for k, name in enumerate(INSPECTORS):
        app.users.add_user(
            name,
            "inspector",
            UNITS[k % 3],
            f"{name}监察",
            actor="admin",
            cert_no=f"4690252026{k:04d}",
        )
        app.users.reset_password(name, actor="admin", password=password(name), must_change=False)
    app.close()
    engine.dispose()
    print(f"  {cases:,} cases loaded in {time.perf_counter() - t0:.0f} s")
    return Load(cases, now)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "CASEFLOW_DATABASE_URL": url, "CASEFLOW_SESSION_IDLE_MINUTES": "120"}
    cmd = [sys.executable, "-m", "uvicorn", "engine.entrypoints.web.asgi:app"]
    cmd += ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the web server did not start")


class User:
    def __init__(
        self, base: str, name: str, pool: list[int], load: Load, seed: int, think: float
    ) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=False)
        self.name, self.pool, self.load, self.think = name, pool, load, think
        self.rng = random.Random(seed)
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    async def sign_in(self) -> None:
        form = await self.client.get("/login")
        token = LOGIN.search(form.text)
        assert token, "no login token on the sign-in page"
        data = {"username": self.name, "password": password(self.name), "next": "/"}
        r = await self.client.post("/login", data={**data, "login_token": token.group(1)})
        if r.status_code != 303:
            raise RuntimeError(f"{self.name} could not sign in: {r.status_code}")

    async def timed(self, kind: str, method: str, path: str, **kw: Any) -> httpx.Response:
        t0 = time.perf_counter()
        r = await self.client.request(method, path, **kw)
        self.times[kind].append((time.perf_counter() - t0) * 1000)
        expected = 303 if method == "POST" else 200
        if r.status_code != expected:
            self.errors.append(f"{kind} {path}: HTTP {r.status_code}")
        return r

    async def pause(self) -> None:
        """A person reads the page before the next click (exponential, mean `think` s)."""
        if self.think > 0:
            await asyncio.sleep(self.rng.expovariate(1 / self.think))

    async def run(self, rounds: int) -> None:
        for _ in range(rounds):
            await self.pause()
            roll = self.rng.random()
            ref = self.load.ref(self.rng.choice(self.pool))
            if roll < 0.60:
                await self.timed("case page", "GET", f"/cases/{ref}")
            elif roll < 0.85:
                await self.timed("search", "GET", "/cases", params=self.rng.choice(SEARCHES))
            else:
                form = await self.timed(
                    "action form", "GET", f"/cases/{ref}/actions/record_payment"
                )
                csrf, version = CSRF.search(form.text), VERSION.search(form.text)
                if not (csrf and version):
                    self.errors.append(f"action form {ref}: no token or version")
                    continue
                data = {
                    "csrf_token": csrf.group(1),
                    "version": version.group(1),
                    "amount": "1",
                    "paid_on": self.load.now.date().isoformat(),
                    "evidence": "压测：银行转账凭证",
                }
                await self.pause()
                await self.timed(
                    "action", "POST", f"/cases/{ref}/actions/record_payment", data=data
                )


async def drive(
    base: str, load: Load, users: int, rounds: int, think: float
) -> tuple[dict[str, list[float]], float, list[str]]:
    lanes = -(-users // len(INSPECTORS))
    people = [
        User(base, INSPECTORS[u % 8], load.own_cases(u % 8, u // 8, lanes), load, u, think)
        for u in range(users)
    ]
    await asyncio.gather(*(p.sign_in() for p in people))
    t0 = time.perf_counter()
    await asyncio.gather(*(p.run(rounds) for p in people))
    elapsed = time.perf_counter() - t0
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    for p in people:
        for kind, values in p.times.items():
            times[kind] += values
        errors += p.errors
        await p.client.aclose()
    return times, elapsed, errors


def direct(url: str, load: Load, repeat: int) -> dict[str, list[float]]:
    """The same operations on the service layer in this process, one caller at a time."""
    app: App = bootstrap(url)
    name = INSPECTORS[1]
    user = app.users.get(name)
    pool = load.own_cases(1, 0, 1)
    rng = random.Random(7)
    scope = app.queries.scope_of(user)
    times: dict[str, list[float]] = defaultdict(list)

    def case_page(ref: str) -> None:
        app.queries.case_file(user, ref)

    def search(params: dict[str, str]) -> None:
        status = params.get("status")
        app.queries.search(
            CaseQuery(
                text=params.get("q"),
                unit=params.get("unit"),
                procedure=params.get("procedure"),
                open_only=status == "open",
                overdue_only=status == "overdue",
                page=int(params.get("page", 1)),
                per_page=50,
                scope=scope,
            )
        )

    def action(ref: str) -> None:
        payment = {"amount": "1", "paid_on": load.now.date().isoformat(), "evidence": "压测"}
        app.cases.fire(ref, "record_payment", payment, actor=name)

    ops: list[tuple[str, Callable[[], None]]] = []
    for _ in range(repeat):
        ref = load.ref(rng.choice(pool))
        params = rng.choice(SEARCHES)
        ops += [("case page", partial(case_page, ref)), ("search", partial(search, params))]
        ops.append(("action", partial(action, load.ref(rng.choice(pool)))))
    for kind, op in ops:
        t0 = time.perf_counter()
        op()
        times[kind].append((time.perf_counter() - t0) * 1000)
    app.close()
    return times


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(
    label: str,
    web: dict[str, list[float]],
    elapsed: float,
    errors: list[str],
    svc: dict[str, list[float]],
) -> bool:
    total = sum(len(v) for v in web.values())
    print(
        f"  {total:,} requests in {elapsed:.1f} s: {total / elapsed:.0f} requests/s, "
        f"{len(errors)} errors"
    )
    for e in errors[:5]:
        print(f"    {e}")
    print(
        f"  {'page kind':<12} {'n':>5} {'web p50':>9} {'web p99':>9} "
        f"{'svc p50':>9} {'svc p99':>9} {'p50 ×':>6}  target"
    )
    ok = not errors
    for kind in KINDS:
        values = web.get(kind, [])
        if not values:
            continue
        s = svc.get(kind, [])
        p50, p99 = pct(values, 50), pct(values, 99)
        s50, s99 = (pct(s, 50), pct(s, 99)) if s else (float("nan"), float("nan"))
        target = TARGETS.get(kind)
        verdict = ""
        if target is not None:
            met = p99 < target
            ok &= met
            verdict = f"p99 < {target:.0f} ms {'met' if met else 'MISSED'}"
        ratio = p50 / s50 if s else float("nan")
        print(
            f"  {kind:<12} {len(values):>5} {p50:>7.1f}ms {p99:>7.1f}ms "
            f"{s50:>7.1f}ms {s99:>7.1f}ms {ratio:>6.1f}  {verdict}"
        )
    print(f"  {label}: {'all targets met' if ok else 'a target was missed'}")
    return ok


def run(label: str, url: str, args: argparse.Namespace, workers: int) -> bool:
    print(
        f"\n== {label}, {workers} uvicorn worker(s), {args.users} users × {args.rounds} "
        f"requests, think time {args.think:g} s"
    )
    load = prepare(url, args.cases)
    proc, base = start_server(url, workers)
    try:
        asyncio.run(drive(base, load, args.users, 3, 0))  # warm every worker's caches
        web, elapsed, errors = asyncio.run(drive(base, load, args.users, args.rounds, args.think))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    svc = direct(url, load, args.repeat)
    return report(label, web, elapsed, errors, svc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=40, help="requests per user")
    ap.add_argument(
        "--think",
        type=float,
        default=0.5,
        help="mean pause in seconds between one user's requests (0: back-to-back saturation)",
    )
    ap.add_argument("--repeat", type=int, default=100, help="direct service calls per kind")
    ap.add_argument("--workers-pg", type=int, default=2)
    ap.add_argument("--postgres", default=os.environ.get("CASEFLOW_TEST_POSTGRES_URL"))
    ap.add_argument("--no-sqlite", action="store_true")
    args = ap.parse_args()
    results = []
    if not args.no_sqlite:
        folder = tempfile.mkdtemp(prefix="caseflow-web-")
        results.append(run("SQLite (WAL)", f"sqlite:///{folder}/web.db", args, 1))
    if args.postgres:
        url, drop = scratch_database(args.postgres, "web")
        try:
            results.append(run("PostgreSQL", url, args, args.workers_pg))
        finally:
            drop()
    else:
        print("\n(PostgreSQL skipped: pass --postgres URL or set CASEFLOW_TEST_POSTGRES_URL)")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
