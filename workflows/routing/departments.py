"""The partner-department catalogue (``data/departments.toml``) and where the data lives."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Annotated

from pydantic import AfterValidator, ValidationInfo, field_validator

from workflows.routing._schema import (
    SLUG,
    FileModel,
    Loc,
    Text,
    parse_toml,
    rule_error,
    validate_file,
)
from workflows.routing.model import BUREAU, Department

DEPARTMENTS_FILE = "departments.toml"


def data_dir() -> Traversable:
    """The packaged data directory (read through importlib.resources)."""
    return files("workflows.routing") / "data"


def _known_department(value: str, info: ValidationInfo) -> str:
    """A reference to the catalogue; the catalogue comes in the validation context."""
    catalogue: Mapping[str, Department] = (info.context or {})["catalogue"]
    if value not in catalogue:
        raise rule_error(f"引用了未登记的部门“{value}”（{DEPARTMENTS_FILE} 中没有这个键）")
    return value


DepartmentKey = Annotated[Text, AfterValidator(_known_department)]
"""The key of a department registered in the catalogue (departments.toml)."""


def _department_slug(value: str) -> str:
    if not SLUG.match(value):
        raise rule_error("部门键只能由小写英文字母、数字和下划线组成")
    return value


class DepartmentEntry(FileModel):
    """``[departments.<key>]``."""

    description: Text
    default_name: Text


class DepartmentsFile(FileModel):
    """The whole of departments.toml."""

    departments: dict[Annotated[str, AfterValidator(_department_slug)], DepartmentEntry]

    @field_validator("departments")
    @classmethod
    def _bureau_is_registered(
        cls, departments: dict[str, DepartmentEntry]
    ) -> dict[str, DepartmentEntry]:
        if BUREAU not in departments:
            raise rule_error(f"必须登记本局（{BUREAU}）")
        return departments


def _entry(loc: Loc, document: Mapping[str, object]) -> tuple[str, int]:
    match loc:
        case ("departments", str(key), *_):
            return f"部门“{key}”", 2
        case ("departments",):
            return "[departments]", 1
    return "文件", 0


def parse_departments(text: str, source_name: str) -> Mapping[str, Department]:
    document = parse_toml(text, source_name)
    parsed = validate_file(DepartmentsFile, document, source_name, _entry)
    return MappingProxyType(
        {
            key: Department(key=key, description=e.description, default_name=e.default_name)
            for key, e in parsed.departments.items()
        }
    )


def load_departments() -> Mapping[str, Department]:
    path = data_dir() / DEPARTMENTS_FILE
    return parse_departments(path.read_text(encoding="utf-8"), DEPARTMENTS_FILE)
