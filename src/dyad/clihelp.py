"""`--help` that names values by what they are (PATH, N, TEXT), never by Python type.

Typer prints each parameter's annotation (`<list[Path]>`, `<bool>`); for a user these
are noise. Commands and the group are built with the classes here, which give every
option without a metavar a plain one and show no type at all for arguments (their
name already says what they are).
"""
from __future__ import annotations

from typing import Any, Optional

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

_WORDS = {"int": "N", "int range": "N", "float": "NUMBER", "float range": "NUMBER", "str": "TEXT",
          "path": "PATH", "dir": "DIR", "file": "FILE", "datetime": "DATE"}


class _PlainArgument(TyperArgument):
    def display_type_rich(self, ctx: Any) -> Optional[str]:
        return None


def _word(option: TyperOption, ctx: Any) -> str:
    label = option.display_type(ctx).strip("<>")
    repeated = label.startswith("list[")
    inner = label[5:-1] if repeated else label
    return _WORDS.get(inner.lower(), inner.upper())


def plain_params(params: list[Any]) -> None:
    """Give `params` user words in place of type names (in place; metavars already set stay)."""
    for param in params:
        if isinstance(param, TyperArgument) and not isinstance(param, _PlainArgument):
            param.__class__ = _PlainArgument  # same object, only the help display differs
        elif isinstance(param, TyperOption) and param.metavar is None:
            if param.is_flag:
                param.metavar = ""  # a switch takes no value
            elif not param.type_descriptor.is_choice:
                param.metavar = _word(param, None)


class Command(TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain_params(self.params)

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)  # adds --help, built after __init__
        plain_params(params)
        return params


class Group(TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain_params(self.params)

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        plain_params(params)
        return params
