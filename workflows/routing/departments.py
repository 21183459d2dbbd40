"""The partner-department catalogue (``data/departments.toml``) and where the data lives."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from types import MappingProxyType

from workflows.routing._toml import SLUG, Table, parse_text
from workflows.routing.errors import RoutingDataError
from workflows.routing.model import BUREAU, Department

DEPARTMENTS_FILE = "departments.toml"


def data_dir() -> Traversable:
    """The packaged data directory (read through importlib.resources)."""
    return files("workflows.routing") / "data"


def parse_departments(text: str, source_name: str) -> Mapping[str, Department]:
    root = Table(parse_text(text, source_name), source_name, "文件")
    section = root.table("departments", "[departments]")
    found: dict[str, Department] = {}
    for key in section.data:
        entry = f"部门“{key}”"
        if not SLUG.match(key):
            raise RoutingDataError(source_name, entry, "部门键只能由小写英文字母、数字和下划线组成")
        table = section.table(key, entry)
        found[key] = Department(
            key=key,
            description=table.text("description"),
            default_name=table.text("default_name"),
        )
        table.close()
    root.close()
    if BUREAU not in found:
        raise RoutingDataError(source_name, "[departments]", f"必须登记本局（{BUREAU}）")
    return MappingProxyType(found)


def load_departments() -> Mapping[str, Department]:
    path = data_dir() / DEPARTMENTS_FILE
    return parse_departments(path.read_text(encoding="utf-8"), DEPARTMENTS_FILE)
