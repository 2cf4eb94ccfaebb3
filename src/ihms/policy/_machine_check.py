"""Reading a codings sheet's machine provenance columns back: read-only.

``codes export`` writes a machine coder's provenance beside its answers
(:mod:`ihms.policy._machine_columns`), so a sheet exported, reviewed in Excel and
imported again carries them. :func:`check_machine_columns` compares every such cell
with what the project records — in any of the export's languages — and the import
ignores them when they agree (and says so). A cell that differs would claim a
probability, rule, review or model the project never recorded, so it is refused, by
file, row and column, as is a changed or (with ``replace``) emptied answer of a machine
coder whose answers carry provenance: the model gave that answer, and a person's
correction is their own coding (under their own coder; reject the machine's with
``autocode review``).
"""

from __future__ import annotations

import math

import pandas as pd

from ihms.policy._coding_sheet import _match_column, _parse_cell, _show
from ihms.policy._machine_columns import SEP, MachineAnswer, answer_cell, row_cell
from ihms.policy.codebook import Codebook
from ihms.stats._cells import first_row

__all__ = ["check_machine_columns"]

_LANGS = ("en", "zh", "key")
_HOW = {
    "review": "to accept or reject a machine's answer use `ihms policy autocode review`",
}
_DEFAULT_HOW = "it is what the model recorded when it coded"


def _same(cell: str, expected: str) -> bool:
    if cell == expected:
        return True
    try:  # a number Excel wrote back as 32.0
        return math.isclose(float(cell), float(expected), rel_tol=0, abs_tol=1e-9)
    except ValueError:
        return False


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    return "" if text == "nan" else text


def check_machine_columns(
    frame: pd.DataFrame,
    codebook: Codebook,
    stored: dict[tuple[str, str, str], MachineAnswer],
    *,
    coder: str | None,
    file: str,
    replace: bool,
) -> tuple[list[str], list[str]]:
    """Check a sheet's machine provenance columns and machine coders' answers against
    the project's ``stored`` machine answers.

    Returns ``(problems, columns)``: every cell that differs from the record, named by
    file, row and column, and the provenance columns the sheet holds (read, not
    imported).
    """
    roles = {col: _match_column(str(col), codebook) for col in frame.columns}
    prov = {c: m for c, (r, m) in roles.items() if r == "provenance"}
    dims = {c: d for c, (r, d) in roles.items() if r == "dimension" and d.kind != "year"}
    seg_col = next((c for c, (r, _) in roles.items() if r == "segment"), None)
    coder_col = next((c for c, (r, _) in roles.items() if r == "coder"), None)
    machines = {k[2] for k in stored}
    if seg_col is None or not (prov or machines):
        return [], list(prov)
    problems: list[str] = []
    top = first_row(frame)
    for i, rec in enumerate(frame.to_dict(orient="records")):
        row, seg = i + top, _text(rec.get(seg_col))
        who = (_text(rec.get(coder_col)) if coder_col else "") or (coder or "")
        if not seg or not who:
            continue  # parse_codings_frame names these
        mine = {d.key: stored.get((seg, d.key, who)) for d in codebook.dimensions}
        for col, (dim, f) in prov.items():
            cell = _text(rec.get(col))
            if dim is None:
                given = [a for a in mine.values() if a is not None]
                expected = {_text(row_cell(given, f))}
            else:
                expected = {answer_cell(mine[dim.key], f, dim, lang) for lang in _LANGS}
            if not any(_same(cell, e) for e in expected):
                record = _text(row_cell(given, f)) if dim is None else answer_cell(
                    mine[dim.key], f, dim, _lang_of(str(col), dim, f)
                )  # fmt: skip
                problems.append(
                    f"{file} row {row}, column {col!r}: machine provenance is read-only — the "
                    f"project records {record!r} for coder {who!r} on segment {seg!r}"
                    f"{'' if record else ' (nothing)'}, the sheet says {cell!r}; leave the "
                    f"column as exported or delete it ({_HOW.get(f.key, _DEFAULT_HOW)})"
                )
        if who in machines:
            codes_some = any(_text(rec.get(c)) for c in dims)
            problems += _changed_answers(
                rec, dims, mine, who, seg, f"{file} row {row}", replace and codes_some
            )
    return problems, list(prov)


def _lang_of(col: str, dim, f) -> str:
    """The export language a provenance column's header is written in."""
    if f.zh in col:
        return "zh"
    return "key" if col.split(SEP.strip())[0].strip() == dim.key else "en"


def _changed_answers(rec, dims, mine, who, seg, where, emptied_removes) -> list[str]:
    """A machine coder's answers the sheet changes (or, ``emptied_removes``, empties)
    where the project holds them with the model's provenance."""
    out = []
    for col, dim in dims.items():
        answer = mine.get(dim.key)
        if answer is None or not answer.provenance:
            continue
        cell = _text(rec.get(col))
        if cell:
            values, bad = _parse_cell(cell, dim)
            if bad or values == answer.values:
                continue  # a bad cell is named by parse_codings_frame
            said = f"says {_show(values)}"
        elif emptied_removes:
            said = "empties it (with --replace that removes it)"
        else:
            continue
        model = answer.provenance.get("model_id") or who
        out.append(
            f"{where}, column {col!r}: {who!r} is a machine coder and its answer on segment "
            f"{seg!r} is what model {model} gave ({_show(answer.values)}), with its "
            f"provenance; the sheet {said}. A person's correction is their own coding: "
            "import it under your coder and reject the machine's answer with "
            "`ihms policy autocode review`"
        )
    return out
