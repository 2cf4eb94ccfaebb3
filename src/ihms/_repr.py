"""One-line ``repr`` for models and results that hold whole tables.

A dataclass's generated ``repr`` prints every field, so typing a fitted model's name in
a notebook printed its design matrix (tens of thousands of characters for a simulated
county). Objects that hold data say instead what they are, lifelines-style:
``<ITSResults: outcome='visits', n=144, cov_type='newey', lags=1>``; ``summary()``
shows the numbers.

A notebook shows the same objects as a table (as lifelines', linearmodels' and
statsmodels' results are shown): :class:`SummaryHtml` gives a result its
``_repr_html_``, the HTML of its own ``summary()`` — one renderer for them all
(:meth:`ihms.summary.SummaryTable.to_html`: a caption, every cell escaped, the notes
below), so the notebook shows the numbers the text summary prints and no others; a
table of more rows than the console's cap shows its first and last 20, as there.
"""

from __future__ import annotations

__all__ = ["SummaryHtml", "brief_repr"]


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


class SummaryHtml:
    """Mixin: ``_repr_html_`` is the HTML of the object's ``summary()`` called with its
    defaults (its rows capped as :meth:`ihms.summary.SummaryTable._repr_html_` caps
    them, the note naming ``summary().to_frame()``), so Jupyter shows a result as its summary table rather than its one-line
    ``repr``.

    Examples
    --------
    >>> import pandas as pd
    >>> from ihms.summary import SummaryTable
    >>> class Fit(SummaryHtml):
    ...     def summary(self):
    ...         return SummaryTable(pd.DataFrame({"n": [3]}, index=["a<b"]), title="Fit")
    >>> Fit()._repr_html_()[:45]
    '<table class="ihms-table"><caption>Fit</capti'
    >>> "a&lt;b" in Fit()._repr_html_()
    True
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        from ihms._table_rows import max_rows

        # the note's ways to every row are the summary's: the result may have neither
        table = self.summary()  # type: ignore[attr-defined]
        return table.to_html(max_rows=max_rows(), via="summary().")
