"""What the service layer needs to know of the county it serves: the bureau's names for
documents, document-number prefixes, and the profile settings the procedures read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CountyContext:
    county_id: str
    county_name: str
    bureau_name: str
    bureau_short: str
    doc_prefixes: Mapping[str, str]
    settings: Mapping[str, Any] = field(default_factory=dict)
    reconsideration_body: str = ""
    court: str = ""
    units: Mapping[str, str] = field(default_factory=dict)
    """kind of work → internal unit name (e.g. "inspection" → 县劳动保障监察大队)."""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def doc_prefix(self, family: str) -> str:
        return self.doc_prefixes.get(family) or self.doc_prefixes.get("default", self.bureau_short)

    def document_prefix(self, family: str, abbrev: str) -> str:
        return f"{self.doc_prefix(family)}{abbrev}"

    def unit_for(self, kind: str, fallback: str) -> str:
        return self.units.get(kind, fallback)
