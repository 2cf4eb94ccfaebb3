r"""The library's warnings on the command line: an :class:`~ihms.errors.IhmsWarning`
(a :class:`~ihms.errors.StatisticalWarning` too) is printed as a note on stderr, in the
command's ``--lang`` (``注：`` in Chinese, and the warning's Chinese where it carries
one), not as Python's ``file.py:NNN: IhmsWarning:``
line, whose file and line (the caller's, :func:`ihms._warnings.caller_stacklevel`) are
a line of typer's source when the CLI called. Other warnings pass on as warnings.

:func:`warnings_as_notes` does so for a whole command (``ihms``'s app callback, so every
command has it); :func:`notes_on_stderr` for a block whose notes wait until it succeeds
(a refusal after them then stands alone).

One rule for repeats, whichever prints (:func:`warned_note`): a command prints a note
once, however often or from wherever the library warned it, and every distinct note.
Python's own filters decided before: once a line of code under the whole command (the
same text warned from two lines printed twice), every time in a ``notes_on_stderr``
block. Under the whole command the filters in force still decide whether a warning is
shown at all (``python -W ignore::UserWarning`` silences the notes, ``-W error`` makes
them errors); a ``notes_on_stderr`` block records every one. Reader notes a table
reader returns (a hidden sheet, merged cells, title rows: ``cli._tables``) are not
warnings and print as they come.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["notes_on_stderr", "warned_note", "warnings_as_notes"]

try:  # Typer 0.22 and later run their own copy of click (a click installed too is not it)
    from typer._click.globals import get_current_context
except ImportError:  # pragma: no cover - depends on the Typer installed
    from click.globals import get_current_context


def _command_lang() -> str:
    """The ``--lang`` of the command running (the innermost context's, else a group's):
    ``"zh"`` or ``"en"`` (no ``--lang``, or one ihms has no notes in)."""
    ctx = get_current_context(silent=True)
    while ctx is not None:
        lang = ctx.params.get("lang")
        if isinstance(lang, str):
            return "zh" if lang == "zh" else "en"
        ctx = ctx.parent
    return "en"


def warned_note(message: Warning | str) -> None:
    """Print a warning's message as the running command's note on stderr (soft-wrapped:
    a path in it stays whole), unless the command printed that note already (the
    notes printed are kept in the command's context, so each command starts anew).
    Under ``--lang zh`` a warning carrying its Chinese (:class:`~ihms.errors.IhmsWarning`'s
    ``zh``) is said in it, one without in English."""
    from ihms.cli._common import note

    text = str(message)  # the English: what tells two notes apart in either language
    ctx = get_current_context(silent=True)
    if ctx is not None:
        printed = ctx.meta.setdefault("ihms.warned_notes", set())  # shared down the chain
        if text in printed:
            return
        printed.add(text)
    lang = _command_lang()
    zh = getattr(message, "zh", None) if lang == "zh" else None
    note(zh or text, lang)


@contextmanager
def notes_on_stderr() -> Iterator[None]:
    r"""Print the library's :class:`~ihms.errors.IhmsWarning`\ s from the block as notes on
    stderr (a store that cannot count registrations, amounts read with thousands
    separators) once the block succeeds (:func:`warned_note`: a note the command printed
    already not again); other warnings pass on as warnings."""
    import warnings

    from ihms.errors import IhmsWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", IhmsWarning)
        yield
    for w in caught:
        if issubclass(w.category, IhmsWarning):
            warned_note(w.message)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def warnings_as_notes(ctx) -> None:
    r"""From now until ``ctx`` closes, print each :class:`~ihms.errors.IhmsWarning` as a
    note (:func:`warned_note`: once a command); any other warning as Python prints it. The filters
    and printer in place before come back when ``ctx`` closes, so a command run in
    process (``typer.testing.CliRunner``) leaves no printer of its own behind.

    Parameters
    ----------
    ctx : click.Context
        The context of the ``ihms`` group: it closes after the command, failed or not.
    """
    import warnings

    from ihms.errors import IhmsWarning

    # restored on close, with the printer; the filters in force stay in force (python -W
    # error / ignore, PYTHONWARNINGS): Python's default shows a text once a line of code,
    # and warned_note prints a text once a command from whichever line it came
    ctx.with_resource(warnings.catch_warnings())
    shown_before = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, IhmsWarning):
            warned_note(message)
        else:
            shown_before(message, category, filename, lineno, file, line)

    warnings.showwarning = show
