"""Every procedure the engine knows, each version declared once."""

from __future__ import annotations

from engine.domain.procedure import ProcedureDecl
from workflows import wage_arrears

PROCEDURES: tuple[ProcedureDecl, ...] = (wage_arrears.PROCEDURE,)
