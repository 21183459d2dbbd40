"""The supervised party of a case: an employer or unit with its 统一社会信用代码."""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as CodeError

from engine.domain.errors import InvalidInput
from engine.domain.text import checked


@dataclass(frozen=True)
class Subject:
    name: str
    address: str
    uscc: str

    @classmethod
    def create(cls, name: str, address: str, code: str) -> Subject:
        name, address = name.strip(), address.strip()
        if not name:
            raise InvalidInput("当事人名称", "不能为空")
        if not address:
            raise InvalidInput("当事人地址", "不能为空")
        checked("当事人名称", name, 300)
        checked("当事人地址", address, 500)
        return cls(name, address, validate_uscc(code))


def validate_uscc(code: str) -> str:
    """Validate a 统一社会信用代码 (GB 32100-2015) including its check character."""
    try:
        return str(uscc.validate(code))
    except CodeError as exc:
        why = {
            "InvalidLength": "长度应为18位",
            "InvalidFormat": "含有不允许的字符",
            "InvalidChecksum": "校验位不正确",
            "InvalidComponent": "登记管理部门或机构类别代码无效",
        }.get(type(exc).__name__, "格式无效")
        raise InvalidInput("统一社会信用代码", f"{code!r} {why}") from exc
