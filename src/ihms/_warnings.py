"""Where ihms's warnings point: at the line of the caller's code, not at a line of ihms.

``warnings.warn(..., stacklevel=2)`` points at the warning function's caller, right when
the user calls it and inside ihms when another ihms function (a ``read`` method, a
rename's wrapper, the CLI) does. :func:`caller_stacklevel` counts the frames instead,
to the first one outside the package.
"""

from __future__ import annotations

import os
import sys

__all__ = ["caller_stacklevel"]

_PACKAGE = os.path.dirname(__file__) + os.sep


def _in_ihms(frame) -> bool:
    """A frame of ihms's code: a line of the package, or the ``__init__`` a dataclass
    of the package generated (compiled from ``<string>`` in the module's namespace), so
    a warning from a ``__post_init__`` points past it."""
    code = frame.f_code
    if code.co_filename.startswith(_PACKAGE):
        return True
    name = frame.f_globals.get("__name__", "")
    return code.co_filename == "<string>" and (name == "ihms" or name.startswith("ihms."))


def caller_stacklevel() -> int:
    """The ``stacklevel`` that makes ``warnings.warn`` point at ihms's caller.

    Called on the line that warns, it counts that frame and every ihms frame above it
    (wrappers such as :func:`~ihms._renamed.renamed_parameter`'s and the ``__init__`` of
    a dataclass calling its ``__post_init__`` included) to the first frame outside the
    package: what Python 3.12's ``skip_file_prefixes`` does, for 3.11, as long as no
    frame outside ihms lies between two of its own (a ``contextmanager``'s contextlib
    frame, a pandas ``.apply`` callback ends the count there): warning from such a
    place, call it in the ihms function above that frame and add the frames between.

    Returns
    -------
    int
        ``stacklevel`` for the warning; 1 (the warning's own line) when that line is
        outside ihms, or when nothing outside ihms called it.

    Examples
    --------
    >>> caller_stacklevel()  # a warning given here, outside ihms, points at this line
    1
    """
    frame = sys._getframe(1)
    level = 1
    while frame is not None and _in_ihms(frame):
        frame = frame.f_back
        level += 1
    return level if frame is not None else 1
