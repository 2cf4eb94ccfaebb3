"""Helpers shared by the command modules: consoles, JSON output, error handling."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup, TyperOption

from ihms import _table_rows
from ihms._width import fold_width
from ihms._words import said
from ihms.cli._wide_wrap import keep_wide_lines_whole

try:  # Typer 0.22 and later carry their own copy of click
    from click.exceptions import UsageError
except ImportError:  # pragma: no cover - depends on the Typer installed
    from typer._click.exceptions import UsageError
from ihms.errors import IhmsError, InputError

__all__ = [
    "IhmsGroup",
    "console",
    "err_console",
    "halfwidth",
    "json_error",
    "note",
    "print_json",
    "print_path",
    "read_csv_arg",
    "to_jsonable",
    "writes_every_row",
]

keep_wide_lines_whole()  # help with Chinese in it was cut with "…" (see the module)
console = Console()
err_console = Console(stderr=True)


def to_jsonable(obj: Any) -> Any:
    """Convert numpy/pandas/Decimal values into plain JSON types (NaN, ``pd.NA`` and
    ``pd.NaT`` become null)."""
    import numpy as np
    import pandas as pd

    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, pd.DataFrame):
        return [to_jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return to_jsonable(obj.to_dict())
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        value = float(obj)
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, (pd.Timestamp, pd.Period)):
        return str(obj)
    if obj is pd.NaT or obj is pd.NA:
        return None
    return obj


def halfwidth(text: str) -> str:
    """Full-width digits, commas, points and per cent signs (a Chinese input method's
    ８３，９０ or 21.3％) as their ASCII forms, and the enumeration comma ``、`` as a
    comma: the cells' width fold (:func:`ihms._width.fold_width`, as
    :func:`ihms.stats._cells.normal_text` reads cells) for lists given on the command
    line. Only width: ``10²`` stays ``10²`` and is refused as a number."""
    return fold_width(text).strip().replace("、", ",")


def sheet_option(of: str, *, default: str = "the only sheet with data") -> Any:
    """``--sheet`` of a command reading ``of`` (one wording, one detection: ``ihms._sheets``)."""
    return Annotated[
        str | None,
        typer.Option(
            "--sheet",
            help=f"Sheet of {of}, by name or number; default: {default}; needed when "
            "several sheets hold data.",
        ),
    ]


def encoding_option(of: str) -> Any:
    """``--encoding`` of a command reading ``of`` (``ihms._decode`` tells them apart)."""
    return Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help=f"Encoding of {of} (e.g. latin-1); default: UTF-8, GBK, GB18030 or Big5, "
            "told apart from each file's bytes.",
        ),
    ]


def lang_option(what: str) -> Any:
    """``--lang`` of a command that prints ``what`` in English or Chinese (the words of
    :mod:`ihms._words` and :mod:`ihms.policy._agreement_words`); ``--json`` stays
    language-neutral and error messages stay English, as the help says."""
    return Annotated[
        str, typer.Option("--lang", help=f"{what} in en or zh (error messages stay English).")
    ]


#: ``--sheet`` and ``--encoding`` of the commands reading one table file (its, agreement;
#: growth names its two files itself)
FileSheetOpt = sheet_option("the .xlsx file")
FileEncodingOpt = encoding_option("the CSV file")
#: and of those reading a folder of tables (``ihms data import|check``)
FolderSheetOpt = sheet_option(
    "every .xlsx table in the folder",
    default="the sheet named after the table, else the only sheet with data",
)
FolderEncodingOpt = encoding_option("every CSV table in the folder")


def print_path(before: str, path: object, after: str = "") -> None:
    """Print ``before <path> after`` on stdout, the path bold, read as text (a folder
    named ``[2018]`` stays) and whole: not folded at the console's width, so a user can
    copy it."""
    console.print(
        f"{before} [bold]{escape(str(path))}[/bold]{after}", highlight=False, soft_wrap=True
    )


def note(text: str, lang: str = "en") -> None:
    """Print ``note: text`` on stderr, as text (a sheet name in brackets stays); a
    Chinese note (``lang="zh"``, ``text`` said in Chinese by the caller) as ``注：text``."""
    # not folded at the console's width, as errors are not: a path stays one word
    head = said(lang, "note")
    err_console.print(f"{head}{text}", highlight=False, markup=False, soft_wrap=True)


def read_csv_arg(
    path: Path,
    *,
    missing: str,
    sheet: str | None = None,
    encoding: str | None = None,
    sheet_flag: str = "--sheet",
    titles: str = "refuse",
):
    """A statistics table where a cell may be missing (growth's values, agreement's
    codings), as text cells with the missing ones NaN: read as ``ihms its`` reads its
    series (:func:`ihms.cli._tables.read_data_table`: CSV in any encoding ihms reads, or
    ``encoding``; ``.xlsx`` with ``sheet``; ``.dta``, ``.sav``, ``.parquet``). Empty
    cells and cells written as a missing value (``NA``, ``#N/A``, ``NULL``, ``.``:
    :data:`ihms.stats._cells.MISSING_MARKERS`) are missing, the latter named in a note
    saying what a missing value means here (``missing``): pandas read them as missing
    without a word, and from an ``.xlsx`` they were codes or refused. Blank lines stay
    rows (readers skip and note them), so rows keep the file's numbers. ``sheet_flag``
    is the option naming ``sheet`` in messages (default ``--sheet``); ``titles="skip"``
    leaves title lines above the header out with a note (:func:`read_data_table`)."""
    from ihms.cli._tables import read_data_table
    from ihms.stats._cells import marked_missing, missing_note

    if Path(path).suffix.lower() == ".xls":
        raise InputError(
            f"{path}: an Excel 97-2003 workbook (.xls) is not read; save it as .xlsx or .csv"
        )
    frame = read_data_table(
        Path(path),
        what="table",
        sheet=sheet,
        encoding=encoding,
        sheet_flag=sheet_flag,
        titles=titles,
    )
    frame, found = marked_missing(frame)
    if found:
        note(missing_note(path, found, missing))
    return frame


def print_json(obj: Any) -> None:
    """Print ``obj`` as indented JSON on stdout (no rich markup, safe to pipe)."""
    typer.echo(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2))


def cli_help(text: str) -> str:
    """A docstring as ``--help`` shows it: the lines of each paragraph joined (rich
    help keeps a docstring's line breaks, so a wrapped paragraph printed ragged) and
    reStructuredText's double backquotes made single."""
    paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p).replace("``", "`")


def _flags_untyped(display_type_rich):
    """Typer 0.29's rich help shows a flag's type (``--json <bool>``), as if it took a
    value; its plain-text help leaves the type out for flags. The rich help is made to
    do the same (upstream discussion: fastapi/typer issue 493; checked by
    ``tests/cli/test_help_width.py`` on every command, so a Typer that changes this
    fails there)."""

    def display(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if getattr(self, "is_flag", False) and not getattr(self, "count", False):
            return None
        return display_type_rich(self, *args, **kwargs)

    return display


if hasattr(TyperOption, "display_type_rich"):
    TyperOption.display_type_rich = _flags_untyped(TyperOption.display_type_rich)


class IhmsGroup(TyperGroup):
    """A command group that turns :class:`IhmsError` into a one-line message and exit
    code 2, so users see what to fix rather than a traceback, and shows its commands'
    docstrings as flowing paragraphs (:func:`cli_help`)."""

    def get_command(self, ctx, cmd_name):  # type: ignore[override]
        command = super().get_command(ctx, cmd_name)
        if command is not None and command.help:
            command.help = cli_help(command.help)
        if command is not None and not command.epilog:
            from ihms.cli._examples import epilog

            command.epilog = epilog(" ".join([*_command_path(ctx), cmd_name]))
        return command

    def resolve_command(self, ctx, args):  # type: ignore[override]
        name, command, rest = super().resolve_command(ctx, args)
        # the context of the command that fails is gone when its error reaches
        # ``invoke``; its name and arguments are kept (``meta`` is shared by the nested
        # contexts) so that the error can be told whether ``--json`` was given
        if command is not None and not isinstance(command, TyperGroup):
            ctx.meta[_INVOKED] = (name, command, list(rest))
            repeated_option_check(command, rest)
            _table_rows.use_ways(_ways_to_every_row(command))
        return name, command, rest

    def invoke(self, ctx):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except IhmsError as exc:
            if _json_requested(ctx):
                _print_json_error(exc, str(exc))
            # the message is text, not markup: '[tools]' or '[Sheet1]' must survive
            err_console.print(
                f"[bold red]error:[/bold red] {escape(str(exc))}",
                markup=True,
                highlight=False,
                # not folded at the console's width: a long path stays one copyable
                # word (rich cut '/tmp/…/nope.csv' into 'nope.cs' and 'v' at 80 columns)
                soft_wrap=True,
            )
            raise typer.Exit(code=2) from None
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            if _json_requested(ctx):
                _print_json_error(exc, _os_message(exc))
            # An output path that cannot be written (a file where a folder should be, no
            # permission, a full disk) is the user's to fix, not a crash.
            err_console.print(
                f"[bold red]error:[/bold red] {escape(_os_message(exc))}",
                markup=True,
                highlight=False,
                soft_wrap=True,  # as above
            )
            raise typer.Exit(code=2) from None
        except UsageError as exc:
            if _json_requested(ctx):
                _print_json_error(exc, exc.format_message())
            raise
        finally:
            if ctx.parent is None:  # the command is done (several run in one test process)
                _table_rows.reset()


def _command_path(ctx) -> list[str]:
    """The names of the groups from the root down to ``ctx``'s (the root's own name, the
    program's, left out): ``["policy", "codes"]``."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name)
        ctx = ctx.parent
    return names[::-1]


def writes_every_row(option: str):
    """Mark a command whose ``option`` (``"--out FILE"``) writes every row of the tables
    it prints: the note under a table cut to the row cap (:mod:`ihms._table_rows`)
    names it, before ``--json``."""

    def mark(command):
        command.writes_every_row = option
        return command

    return mark


def _ways_to_every_row(command) -> tuple[str, ...]:
    """The options of ``command`` that give every row of a table it prints: the one it is
    marked with (:func:`writes_every_row`), then ``--json``."""
    marked = getattr(command.callback, "writes_every_row", None)
    json = any("--json" in getattr(p, "opts", ()) for p in command.params)
    return tuple(w for w in (marked, "--json" if json else None) if w)


def repeated_option_check(command, args: list[str]) -> None:
    """Refuse an option that takes one value given twice with different values (click
    keeps the last without a word: ``settle --year 2018 --year 2019`` settled 2019 alone,
    review 24 #8), naming the option and both values. Options given repeatedly on
    purpose (``multiple``), flags, and one value given twice are left alone; the
    arguments are read up to ``--``, an option's value never taken for an option. A
    command's function may carry ``repeat_hints`` (option → what to do instead), added
    to the refusal (``growth --reference``: one rate per indicator is ``--reference-col``)."""
    hints: dict[str, str] = getattr(command.callback, "repeat_hints", {})
    single: dict[str, str] = {}
    valued: set[str] = set()
    for param in command.params:
        if not getattr(param, "opts", None) or getattr(param, "is_flag", False):
            continue
        if getattr(param, "count", False):
            continue
        names = [*param.opts, *param.secondary_opts]
        valued.update(names)
        if not param.multiple and param.nargs == 1:
            single.update(dict.fromkeys(names, param.opts[0]))
    seen: dict[str, str] = {}
    i = 0
    while i < len(args) and args[i] != "--":
        token = args[i]
        name, _, inline = token.partition("=")
        if name.startswith("--") and inline and name in valued:
            value, i = inline, i + 1
        elif token in valued:
            if i + 1 >= len(args):
                return  # the parser says the value is missing
            value, i = args[i + 1], i + 2
        else:
            i += 1
            continue
        option = single.get(name)
        if option is None:
            continue
        if option in seen and seen[option] != value:
            raise InputError(
                f"{option} given twice: {seen[option]}, {value}; it takes one value (the "
                "last would win without a word): give it once, or "
                + hints.get(option, "run the command once for each")
            )
        seen.setdefault(option, value)


#: ``ctx.meta`` key of the command being run: (name, command, its arguments).
_INVOKED = "ihms.invoked"


def _json_requested(ctx) -> bool:
    """Whether the command that failed has a ``--json`` flag and was given it, before
    any ``--`` (read from its arguments rather than its parsed options, so that an
    error parsing another option, which stops the parse, does not hide the flag)."""
    invoked = ctx.meta.get(_INVOKED)
    if invoked is None:
        return False
    _, command, args = invoked
    if not any("--json" in getattr(p, "opts", ()) for p in command.params):
        return False
    return "--json" in (args[: args.index("--")] if "--" in args else args)


def json_error(exc: Exception, message: str | None = None) -> dict[str, Any]:
    """The JSON object every ``--json`` command prints on stdout when it fails (exit code
    2): ``ok`` false, ``error`` (the first line of the message, the same words the
    plain-text error prints) and ``problems`` (each problem of a :class:`DataError`,
    naming file, row and column; else the message's lines), and for a
    :class:`DataError`'s problems ``problem_details`` (each problem's file, row, column,
    value and expected, as ``data check --json`` gives them)."""
    from ihms.errors import problem_details

    text = str(exc) if message is None else message
    summary, *_ = text.split("\n")
    given = list(getattr(exc, "problems", None) or ())
    problems = given or [line for line in text.split("\n") if line]
    out: dict[str, Any] = {"ok": False, "error": summary, "problems": problems or [summary]}
    if given:
        out["problem_details"] = problem_details(given)
    return out


def _print_json_error(exc: Exception, message: str) -> None:
    print_json(json_error(exc, message))
    raise typer.Exit(code=2)


def _os_message(exc: OSError) -> str:
    """``path: reason`` for an operating-system error (the path without a ``.part``
    suffix that atomic writes add)."""
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    path = str(exc.filename).removesuffix(".part")
    also = f" -> {exc.filename2}" if exc.filename2 else ""
    return f"{path}{also}: {reason}"


def check_table_path(out: Path, *, option: str | None = None, create: bool = False) -> Path:
    """``out`` if it names a .xlsx or .csv file in a folder that exists, else an error
    naming ``option`` (or the file): for a command to check before its work. With
    ``create``, a missing folder is no error (the command makes it when it writes,
    :func:`ihms._atomic.make_folder`, as ``ihms indicators compute --out`` does); one
    that cannot be made is (:func:`ihms._atomic.check_folder`)."""
    from ihms._atomic import check_folder

    where = f"{option}: " if option else ""
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise InputError(f"{where}{out}: expected a .xlsx or .csv file name")
    if create:
        check_folder(out, where=f"{where}{out}")
    elif not out.parent.is_dir():
        raise InputError(f"{where}{out}: the folder {str(out.parent)!r} does not exist")
    return out
