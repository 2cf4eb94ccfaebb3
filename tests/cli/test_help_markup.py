"""No option's help loses text to rich markup: typer renders help with rich, which
reads ``[default: x]`` or ``[spark]`` (a bracket opening on a letter, ``#``, ``/`` or
``@``: rich.markup's tag syntax) as a style tag and prints nothing of it, so such a
bracket must be escaped ``\\[``. Found twice: ``indicators compute --engine`` lost
``ihms[spark]``, ``demo --config`` lost its default."""

from __future__ import annotations

import re

import typer.main
from rich.markup import render

from ihms.cli.main import app

# rich.markup.RE_TAGS: an unescaped tag
_TAG = re.compile(r"(?<!\\)\[([a-z#/@][^\[]*?)\]")


def _options(command, path):
    for param in getattr(command, "params", ()):
        if getattr(param, "help", None):
            yield " ".join(path), param.opts[0], param.help
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from _options(sub, [*path, name])


def test_no_option_help_is_eaten_as_markup():
    eaten = [
        (path, option, match.group(0))
        for path, option, text in _options(typer.main.get_command(app), ["ihms"])
        for match in _TAG.finditer(text)
        if match.group(0) not in render(text).plain
    ]
    assert eaten == []
