"""Closing a case (结案、办结) as a building block: a supervisor closes it from any state in
which the bureau's handling is complete, with a written summary."""

from __future__ import annotations

from pydantic import BaseModel, Field

from engine.domain.procedure import Effect, Sources, StateDecl, TriggerDecl
from workflows.common import SUPERVISORS, Payload, Text, recorded


class Closing(Payload):
    summary: Text = Field(description="结案（办结）说明")


CLOSING_EFFECT = recorded("closing")
"""Keeps the summary, the day and the supervisor under data["closing"]."""

CLOSED = StateDecl(name="closed", label="已办结", final=True)


def closing(
    *,
    sources: Sources,
    label: str = "办结",
    payload: type[BaseModel] = Closing,
    effect: Effect = CLOSING_EFFECT,
) -> TriggerDecl:
    """The ``close`` trigger from ``sources`` to ``closed``, fired by a supervisor."""
    return TriggerDecl(
        name="close",
        label=label,
        source=sources,
        dest="closed",
        roles=SUPERVISORS,
        payload=payload,
        effect=effect,
    )
