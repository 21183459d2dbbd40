"""Errors of the routing data: bad data at load time, and failed look-ups at run time."""

from __future__ import annotations

from typing import Any


class RoutingDataError(ValueError):
    """A routing data file (departments, matters, county profile) is wrong.

    Raised at load time, for the county admin who edits the TOML: the message (Chinese) names
    the file and the entry, e.g. ``matters/dingan.toml：第5个事项（id = child_labour）：…``.
    """

    code = "ROUTING_DATA_INVALID"

    def __init__(self, source: str, entry: str, problem: str) -> None:
        message = f"{source}：{entry}：{problem}"
        super().__init__(message)
        self.message = message
        self.source = source
        self.entry = entry
        self.problem = problem

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "details": {"source": self.source, "entry": self.entry, "problem": self.problem},
        }


class RoutingLookupError(LookupError):
    """A look-up in loaded routing data found nothing (unknown matter, county, unit, key)."""

    code = "ROUTING_NOT_FOUND"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}
