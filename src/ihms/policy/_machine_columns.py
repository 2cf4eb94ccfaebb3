"""A machine coder's provenance as read-only columns of a codings sheet.

``codes export`` writes, beside each dimension a machine coder (``machine:<model id>``)
answered, what the project recorded when it coded: ``Actors · machine probability``
(``category=p`` per proposed category), ``· machine rule`` (keyword rules: the rule that
fired), ``· machine in training`` (the segment was a training segment) and ``· machine
review`` (``accepted (lead)``), and at the row's end ``machine model``, ``machine
training size``, ``machine trained at`` and ``machine codebook version`` (Chinese headers
with ``--lang zh``: ``主体 · 机器概率``, ``机器模型`` …). They are the record of what the
model gave, as QDA tools show an auto-code's source beside it: the import never writes
them, only checks them (:mod:`ihms.policy._machine_check`).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field

from ihms.errors import InputError
from ihms.policy.codebook import Codebook, Dimension

__all__ = [
    "FIELDS",
    "MachineAnswer",
    "answer_cell",
    "column_header",
    "layout",
    "machine_answers",
    "match_column",
    "row_cell",
]

#: between a dimension's header and a provenance field: ``Actors · machine probability``
SEP = " · "
#: the "nothing applies" answer a model proposed with a probability (autocode's NONE)
_NONE = "(none)"


@dataclass(frozen=True)
class Field:
    """One provenance column: its key, English and Chinese names, and whether it is
    written beside each dimension (else once per row)."""

    key: str
    en: str
    zh: str
    per_dimension: bool


FIELDS = (
    Field("probability", "machine probability", "机器概率", True),
    Field("rule", "machine rule", "机器规则", True),
    Field("in_training", "machine in training", "机器训练片段", True),
    Field("review", "machine review", "机器编码审核", True),
    Field("model_id", "machine model", "机器模型", False),
    Field("training_size", "machine training size", "机器训练量", False),
    Field("trained_at", "machine trained at", "机器训练时间", False),
    Field("codebook_version", "machine codebook version", "机器编码本版本", False),
)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().replace("_", " ").split())


_BY_NAME = {_fold(n): f for f in FIELDS for n in (f.en, f.zh)}


@dataclass
class MachineAnswer:
    """What the project holds for one machine answer (segment, dimension, coder)."""

    values: set[str] = field(default_factory=set)
    provenance: dict = field(default_factory=dict)
    review: str = ""
    reviewed_by: str = ""


def machine_answers(project, coders=None) -> dict[tuple[str, str, str], MachineAnswer]:
    """Every answer of the project's machine coders (or of ``coders``), by
    ``(segment, dimension, coder)``."""
    sql = (
        "SELECT c.segment_id, c.dimension, c.coder_id, c.value, c.provenance,"
        " coalesce(c.review_status, ''), coalesce(c.reviewed_by, '')"
        " FROM codings c JOIN coders k ON k.id = c.coder_id WHERE k.kind = 'machine'"
    )
    params: list = []
    if coders is not None:
        sql += f" AND c.coder_id IN ({','.join('?' * len(coders))})"
        params = list(coders)
    out: dict[tuple[str, str, str], MachineAnswer] = {}
    for seg, dim, who, value, prov, status, by in project.query(sql, params):
        answer = out.setdefault((seg, dim, who), MachineAnswer())
        if value != "":
            answer.values.add(value)
        if prov and not answer.provenance:
            answer.provenance = json.loads(prov)
        answer.review, answer.reviewed_by = answer.review or status, answer.reviewed_by or by
    return out


def column_header(f: Field, lang: str, dim: Dimension | None = None) -> str:
    """``Actors · machine probability`` (``lang`` en or key), ``主体 · 机器概率`` (zh);
    a row's field alone (``machine model``)."""
    name = f.zh if lang == "zh" else f.en
    if dim is None:
        return name
    return f"{dim.key if lang == 'key' else dim.label(lang)}{SEP}{name}"


def match_column(col: str, codebook: Codebook) -> tuple[Dimension | None, Field] | None:
    """The dimension (None for a row's field) and provenance field a sheet's column
    header names, or None when it names none."""
    text = str(col).strip()
    head, sep, name = text.rpartition(SEP.strip())
    f = _BY_NAME.get(_fold(name if sep else text))
    if f is None or (f.per_dimension != bool(sep)):
        return None
    if not sep:
        return None, f
    try:
        return codebook.dimension(head.strip()), f
    except InputError:
        return None


def _category(c: str, dim: Dimension, lang: str) -> str:
    if c == _NONE:
        return "无" if lang == "zh" else _NONE
    if lang == "key" or dim.kind != "closed" or c not in dim.category_keys:
        return c
    return dim.category(c).label(lang)


def _ordered(items: dict, dim: Dimension) -> list:
    order = {k: i for i, k in enumerate(dim.category_keys)}
    return sorted(items.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


def answer_cell(answer: MachineAnswer | None, f: Field, dim: Dimension, lang: str) -> str:
    """What column ``f`` of ``dim`` says of ``answer`` ("" when the project records
    nothing)."""
    if answer is None:
        return ""
    prov = answer.provenance
    if f.key == "probability":
        probs = prov.get("probability") or {}
        cell = "; ".join(f"{_category(c, dim, lang)}={p:.4f}" for c, p in _ordered(probs, dim))
        if cell and prov.get("calibrated") is False:  # a score: an order, not chances
            cell += "（分数，未校准）" if lang == "zh" else " (scores, not calibrated)"
        return cell
    if f.key == "rule":
        rules = prov.get("rules") or {}
        return "; ".join(
            f"{_category(c, dim, lang)}={r.get('rule', '')}" for c, r in _ordered(rules, dim)
        )
    if f.key == "in_training":
        inside = prov.get("in_training")
        if inside is None:
            return ""
        return ("是" if inside else "否") if lang == "zh" else ("yes" if inside else "no")
    # review
    if not answer.review:
        return ""
    status = {"accepted": "接受", "rejected": "拒绝"}.get(answer.review, answer.review)
    status = status if lang == "zh" else answer.review
    if not answer.reviewed_by:
        return status
    return (
        f"{status}（{answer.reviewed_by}）" if lang == "zh" else f"{status} ({answer.reviewed_by})"
    )


def row_cell(answers: list[MachineAnswer], f: Field) -> str | int:
    """What a row's column ``f`` says of the answers the coder gave on its segment
    (distinct values joined by ``; ``; the training size a number)."""
    seen = []
    for a in answers:
        value = a.provenance.get(f.key)
        if value not in (None, "") and value not in seen:
            seen.append(value)
    if len(seen) == 1 and f.key == "training_size":
        return int(seen[0])
    return "; ".join(str(v) for v in seen)


def layout(
    answers: dict[tuple[str, str, str], MachineAnswer], coders, dims: list[Dimension]
) -> dict[str, tuple[dict[str, list[Field]], list[Field]]]:
    """Per machine coder of ``coders``: the provenance fields beside each dimension it
    answered (its review always, the others where some answer records them) and the
    row's fields; a coder with no machine answers has none."""
    out: dict[str, tuple[dict[str, list[Field]], list[Field]]] = {}
    keys = {d.key for d in dims}
    for who in coders:
        mine = [(k[1], a) for k, a in answers.items() if k[2] == who and k[1] in keys]
        if not mine:
            continue
        beside = {}
        for d in dims:
            given = [a for dim, a in mine if dim == d.key]
            if given:
                beside[d.key] = [
                    f for f in FIELDS if f.per_dimension
                    and (f.key == "review" or any(answer_cell(a, f, d, "key") for a in given))
                ]  # fmt: skip
        row = [
            f for f in FIELDS
            if not f.per_dimension and any(row_cell([a], f) != "" for _, a in mine)
        ]  # fmt: skip
        out[who] = (beside, row)
    return out
