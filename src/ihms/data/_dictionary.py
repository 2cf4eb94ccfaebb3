"""The data dictionary: :data:`~ihms.data.SCHEMAS` rendered as Markdown
(``ihms data schema``)."""

from __future__ import annotations

from ihms.data._yes_no import YES_NO_FORMS
from ihms.data.schema import SCHEMA_VERSION, SCHEMAS, Column

__all__ = ["schema_markdown"]

_HEADER = (
    "| column | type | required | unit | allowed / range | references | description |",
    "|---|---|---|---|---|---|---|",
)


def _range(c: Column) -> str:
    if c.allowed:
        return ", ".join(c.allowed)
    if c.min is not None or c.max is not None:
        lo = "" if c.min is None else f"{c.min:g}"
        hi = "" if c.max is None else f"{c.max:g}"
        return f"{lo} … {hi}" if hi else f"≥ {lo}"
    return ""


def schema_markdown() -> str:
    """The data dictionary as Markdown (one section per table)."""
    out = [
        f"# ihms data dictionary (schema {SCHEMA_VERSION})",
        "",
        "Money is integer fen (1 yuan = 100 fen); a file may give an amount in yuan "
        "instead, as x_yuan for x_fen (1234.57: digits, at most two decimals; not both). "
        "Dates are calendar dates; a CSV file "
        "may write them as 2016-01-18, 2016/1/18, 2016.1.18, 2016年1月18日 or 20160118, "
        "with or without a time of day (which is dropped); day- or month-first dates "
        "such as 18/1/2016 are refused, never guessed. "
        f"A bool column reads {YES_NO_FORMS}. Required columns may not be null.",
        "",
    ]
    for t in SCHEMAS.values():
        kind = "structural" if t.structural else "records"
        out += [
            f"## `{t.name}` ({kind})",
            "",
            t.description,
            "",
            f"Primary key: `{', '.join(t.primary_key)}`",
            "",
            *_HEADER,
        ]
        for c in t.columns:
            out.append(
                f"| `{c.name}` | {c.dtype} | {'yes' if c.required else 'no'} | {c.unit} | "
                f"{_range(c)} | {c.references or ''} | {c.description} |"
            )
        out.append("")
    return "\n".join(out)
