"""A keyword renamed for one release: :func:`renamed_parameter` lets a callable take its
old name with a :class:`DeprecationWarning` that names the new one, so a caller's script
keeps working while it is changed. The signature (``inspect.signature``, a notebook's
help) shows the new name only.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["renamed_parameter"]

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
