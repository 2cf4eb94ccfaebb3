"""Names changed for one release, so a caller's script keeps working while it is changed.

:func:`renamed_parameter` lets a callable take a keyword's old name, and
:func:`renamed_attributes` lets a module give a public name's old spelling; either with a
:class:`DeprecationWarning` that names the new one. The signature (``inspect.signature``,
a notebook's help), ``__all__`` and ``dir()`` show the new name only.

A wrapper adds a frame between a caller and the function it wraps, so a warning the
function gives with a fixed ``stacklevel`` would point inside ihms: such warnings take
:func:`ihms._warnings.caller_stacklevel` (imported here too, its former home).
"""

from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from ihms._warnings import caller_stacklevel

__all__ = ["caller_stacklevel", "renamed_attributes", "renamed_parameter"]

F = TypeVar("F", bound=Callable[..., Any])


def renamed_parameter(old: str, new: str, *, since: str) -> Callable[[F], F]:
    """Accept the keyword ``old`` as ``new`` for one release, with a DeprecationWarning.

    Parameters
    ----------
    old
        The parameter's former name, still accepted as a keyword.
    new
        Its name now; the decorated callable must take it.
    since
        The version that renamed it (said in the warning).

    Returns
    -------
    Callable
        A decorator; the callable it returns passes ``old=`` on as ``new=`` and refuses
        both at once (:class:`TypeError`, as Python refuses a keyword given twice).

    Examples
    --------
    >>> @renamed_parameter("level", "confidence", since="0.1.0")
    ... def interval(*, confidence: float = 0.95) -> float:
    ...     return confidence
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     interval(level=0.9), str(caught[0].message)
    (0.9, "interval(): parameter 'level' was renamed 'confidence' in ihms 0.1.0; pass confidence=0.9 (the old name goes in the next release)")
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            if old in kwargs:
                name = func.__qualname__
                if new in kwargs:
                    raise TypeError(f"{name}() got {old!r} and {new!r}; pass {new!r} only")
                value = kwargs.pop(old)
                warnings.warn(
                    f"{name}(): parameter {old!r} was renamed {new!r} in ihms {since}; pass "
                    f"{new}={value!r} (the old name goes in the next release)",
                    DeprecationWarning,
                    stacklevel=2,
                )
                kwargs[new] = value
            return func(*args, **kwargs)

        return inner  # type: ignore[return-value]

    return decorate


def renamed_attributes(module: str, renamed: dict[str, str], *, since: str) -> Callable[[str], Any]:
    """A module's ``__getattr__`` that gives each old name's new object, with a warning.

    Parameters
    ----------
    module
        The module's ``__name__``; the new names are looked up in it when asked for.
    renamed
        Old name → new name; the module must define each new name and not the old one.
    since
        The version that renamed them (said in the warning).

    Returns
    -------
    Callable
        Assign it to the module's ``__getattr__``: ``module.Old`` and ``from module import
        Old`` give the object ``New`` names (the same object) with a DeprecationWarning at
        the caller's line; any other missing name raises AttributeError as usual.

    Examples
    --------
    >>> import types, warnings
    >>> demo = types.ModuleType("demo")
    >>> sys.modules["demo"] = demo
    >>> demo.Line = tuple
    >>> demo.__getattr__ = renamed_attributes("demo", {"Row": "Line"}, since="0.1.0")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     demo.Row is demo.Line, str(caught[0].message)
    (True, 'demo.Row was renamed demo.Line in ihms 0.1.0; use Line (the old name goes in the next release)')
    >>> del sys.modules["demo"]
    """

    def __getattr__(name: str) -> Any:
        new = renamed.get(name)
        if new is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        # ``from package import Old`` asks twice: importlib's hasattr, then the import
        # itself; the warning is given once, at the import's line
        if not sys._getframe(1).f_code.co_filename.startswith("<frozen importlib"):
            warnings.warn(
                f"{module}.{name} was renamed {module}.{new} in ihms {since}; use {new} "
                "(the old name goes in the next release)",
                DeprecationWarning,
                stacklevel=2,
            )
        return getattr(sys.modules[module], new)

    return __getattr__
