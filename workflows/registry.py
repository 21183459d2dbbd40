"""Every procedure the engine knows, each version declared once."""

from __future__ import annotations

from engine.domain.procedure import ProcedureDecl
from workflows.procedures import (
    arbitration_referral,
    employer_compliance,
    fund_audit,
    labour_inspection,
    medical_institutions,
    penalty_review,
    recruitment,
    training_institutions,
    wage_arrears,
)

PROCEDURES: tuple[ProcedureDecl, ...] = (
    wage_arrears.PROCEDURE,
    labour_inspection.PROCEDURE,
    fund_audit.PROCEDURE,
    arbitration_referral.PROCEDURE,
    recruitment.PROCEDURE,
    medical_institutions.PROCEDURE,
    training_institutions.PROCEDURE,
    penalty_review.PROCEDURE,
    employer_compliance.PROCEDURE,
)
