"""Where caseflow's WAL pages go on SQLite: the pages each command appends to the `-wal`
file, by b-tree (table, index, FTS5 shadow table; page 1 shows as sqlite_schema), from the
WAL's frame headers and `dbstat`. Runs the bench/peers.py scenario: ``--warm`` cases first
(not counted), then ``--cases`` cases, each command checkpointed after it so its frames are
its own (peers.py counts the same frames per chunk).

    python bench/wal_pages.py [--warm 200] [--cases 50]
"""

from __future__ import annotations

import argparse
import struct
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from peers import PAST_DEADLINE, START, STEP, Caseflow

from db.bulk import scratch_database
from engine.adapters.clock import FixedClock

FRAME_HEADER = 24
WAL_HEADER = 32


def wal_page_numbers(path: str) -> list[int]:
    """The page number of every frame written since the WAL last restarted: a restarted
    WAL is overwritten in place from its start, so the frames of earlier generations that
    follow are stale and are told apart by their salts (which differ from the header's)."""
    data = Path(path).read_bytes() if Path(path).exists() else b""
    if len(data) < WAL_HEADER:
        return []
    (page_size,) = struct.unpack(">I", data[8:12])
    salts = data[16:24]
    pages, offset = [], WAL_HEADER
    while offset + FRAME_HEADER + page_size <= len(data):
        if data[offset + 8 : offset + 16] != salts:
            break
        pages.append(struct.unpack(">I", data[offset : offset + 4])[0])
        offset += FRAME_HEADER + page_size
    return pages


class Traced(Caseflow):
    """caseflow, the WAL's frames of each command recorded and checkpointed away."""

    measuring = False
    frames: dict[str, list[list[int]]]

    @contextmanager
    def command(self, name: str) -> Iterator[None]:
        with super().command(name):
            yield
        if self.measuring:
            self.frames[name].append(wal_page_numbers(str(self.db.url.database) + "-wal"))
        self.wal_frames()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warm", type=int, default=200)
    parser.add_argument("--cases", type=int, default=50)
    args = parser.parse_args()
    clock = FixedClock(START)
    url, drop = scratch_database(None, "walpages")
    peer = Traced(url, "NORMAL", clock)
    peer.frames = defaultdict(list)
    at = START
    try:
        peer.wal_frames()
        for first in range(0, args.warm + args.cases, 50):
            peer.measuring = first >= args.warm
            clock.set(at)
            for i in range(first, first + 50):
                peer.run_case(i)
                clock.set(clock.now() + STEP)
            clock.set(at + PAST_DEADLINE)
            with peer.command("sweep"):
                peer.sweep()
            at += STEP * 50
        raw = peer.db.raw_connection()
        cur = raw.cursor()
        cur.execute("SELECT pageno, name, pagetype FROM dbstat")
        owner = {
            page: name if kind in ("leaf", "internal") else f"{name} ({kind})"
            for page, name, kind in cur.fetchall()
        }
        raw.close()
        cases = (args.warm + args.cases + 49) // 50 * 50 - args.warm
        total = 0
        for name, runs in peer.frames.items():
            by_tree = Counter(owner.get(p, f"page {p} (freed)") for r in runs for p in r)
            n = sum(len(r) for r in runs)
            total += n
            print(f"{name}: {n / len(runs):.2f} pages per command, {n / cases:.2f} per case")
            for tree, count in by_tree.most_common():
                print(f"    {tree:<40} {count / len(runs):5.2f}")
        print(f"pages per case: {total / cases:.2f}")
    finally:
        peer.close()
        drop()


if __name__ == "__main__":
    main()
