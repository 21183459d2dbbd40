"""The procedure registry: every procedure version compiled once, shared by all cases."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from engine.domain.errors import UnknownProcedure
from engine.domain.procedure import (
    CompiledProcedure,
    ProcedureDecl,
    check_templates,
    compile_procedure,
)


class ProcedureRegistry:
    def __init__(
        self,
        decls: Iterable[ProcedureDecl],
        template_exists: Callable[[str], bool] | None = None,
    ) -> None:
        self._compiled: dict[tuple[str, int], CompiledProcedure] = {}
        self._latest: dict[str, int] = {}
        for decl in decls:
            compiled = compile_procedure(decl)
            if template_exists is not None:
                check_templates(decl, template_exists)
            self._compiled[compiled.key] = compiled
            self._latest[decl.id] = max(decl.version, self._latest.get(decl.id, 0))

    def latest(self, procedure: str) -> CompiledProcedure:
        if procedure not in self._latest:
            raise UnknownProcedure(procedure, sorted(self._latest))
        return self._compiled[(procedure, self._latest[procedure])]

    def get(self, procedure: str, version: int) -> CompiledProcedure:
        try:
            return self._compiled[(procedure, version)]
        except KeyError:
            raise UnknownProcedure(f"{procedure}@{version}", sorted(self._latest)) from None

    def all_latest(self) -> list[CompiledProcedure]:
        return [self._compiled[(p, v)] for p, v in sorted(self._latest.items())]
