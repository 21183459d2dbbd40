"""The boundary-table text in the data files is the seeds' own text (checked when the seeds
are present at ../shared/seeds, as on every developer machine and CI run)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workflows.routing import load_matters

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
SEED_FILES = {"dingan": "000_cf5a2ea854b6253e.txt", "shuangpai": "004_678b6c7a4b8baa2f.txt"}


@pytest.mark.parametrize("county", sorted(SEED_FILES))
def test_texts_are_verbatim(county: str) -> None:
    path = SEEDS / SEED_FILES[county]
    if not path.is_file():
        pytest.skip(f"seed not found at {path}")
    seed = path.read_text(encoding="utf-8")
    # Citations may span cell lines in the seed; compare them with line breaks removed.
    flat = re.sub(r"[\t\n]", "", seed)
    missing: list[str] = []
    for matter in load_matters(county):
        cells = [matter.title, *(e.text for e in matter.examples())]
        for party in matter.parties:
            cells += [party.name, party.duty]
        missing += [f"{matter.id}: {text[:30]}" for text in cells if text not in seed]
        missing += [
            f"{matter.id}: {text[:30]}" for text in matter.all_legal_basis() if text not in flat
        ]
    assert missing == []
