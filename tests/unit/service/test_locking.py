"""The bounded retry of commands given no version, and what their conflict says."""

from __future__ import annotations

import pytest

from engine.domain.errors import DatabaseBusy, VersionConflict
from engine.service.locking import ATTEMPTS, retried


def _failing(errors: list[Exception]) -> tuple[list[int], object]:
    calls: list[int] = []

    def attempt() -> str:
        calls.append(1)
        if errors:
            raise errors.pop(0)
        return "done"

    return calls, attempt


def test_a_plain_command_is_run_again_after_a_conflict_and_succeeds() -> None:
    calls, attempt = _failing([VersionConflict("WA2026-0001", 3), DatabaseBusy("Deadlock")])
    assert retried("WA2026-0001", None, attempt) == "done"  # type: ignore[arg-type]
    assert len(calls) == 3


def test_a_plain_command_gives_up_after_its_attempts_without_naming_a_version() -> None:
    calls, attempt = _failing([VersionConflict("WA2026-0001", 3) for _ in range(ATTEMPTS)])
    with pytest.raises(VersionConflict) as err:
        retried("WA2026-0001", None, attempt)  # type: ignore[arg-type]
    assert len(calls) == ATTEMPTS
    assert "版" not in err.value.message  # the user gave no version: none is named
    assert "WA2026-0001" in err.value.message
    assert "expected_version" not in err.value.details


def test_a_command_given_a_version_gets_its_conflict_at_once_naming_it() -> None:
    calls, attempt = _failing([VersionConflict("WA2026-0001", 4)])
    with pytest.raises(VersionConflict) as err:
        retried("WA2026-0001", 4, attempt)  # type: ignore[arg-type]
    assert len(calls) == 1
    assert "您看到的是第 4 版" in err.value.message
    assert err.value.details["expected_version"] == 4


def test_a_busy_database_is_retried_even_with_a_version_then_a_typed_conflict() -> None:
    calls, attempt = _failing([DatabaseBusy("SerializationFailure") for _ in range(ATTEMPTS)])
    with pytest.raises(VersionConflict) as err:
        retried("WA2026-0001", 7, attempt)  # type: ignore[arg-type]
    assert len(calls) == ATTEMPTS
    assert err.value.code == "VERSION_CONFLICT"
    assert "第 7 版" in err.value.message


def test_other_errors_are_not_retried() -> None:
    calls, attempt = _failing([ValueError("bug")])
    with pytest.raises(ValueError):
        retried("WA2026-0001", None, attempt)  # type: ignore[arg-type]
    assert len(calls) == 1
