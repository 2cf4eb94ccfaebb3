"""One-line ``repr`` for models and results that hold whole tables.

A dataclass's generated ``repr`` prints every field, so typing a fitted model's name in
a notebook printed its design matrix (tens of thousands of characters for a simulated
county). Objects that hold data say instead what they are, lifelines-style:
``<ITSResults: outcome='visits', n=144, cov_type='newey', lags=1>``; ``summary()``
shows the numbers.
"""

from __future__ import annotations

__all__ = ["brief_repr"]


def brief_repr(obj: object, /, **facts: object) -> str:
    """``<TypeName: key=value, ...>`` of the facts given; facts that are ``None`` are left
    out.

    Examples
    --------
    >>> class Fit: ...
    >>> brief_repr(Fit(), outcome="y", n=12, rho=None)
    "<Fit: outcome='y', n=12>"
    """
    shown = ", ".join(f"{key}={value!r}" for key, value in facts.items() if value is not None)
    return f"<{type(obj).__name__}: {shown}>" if shown else f"<{type(obj).__name__}>"
