"""What a 2D content table says about the categories of a document's own property
(its level, nature ...): a merged column names what it holds, and a category without
texts is left out rather than printed as an empty column.

* :func:`merged_notes` — seed 000's Tables 7 and 8 print "Provincial and municipal
  level", its provincial and municipal texts together; the table's note names the
  categories a merged row or column holds and each one's n, so a reader sees what was
  folded (``Provincial and municipal level combines Provincial level (n=659) and
  Municipal level (n=253).``).
* :func:`drop_empty` — a column of a metadata category no text of the table has (a
  Shanghai column for a corpus without Shanghai documents, a county column for seed
  003's national and provincial policies) is corpus scope, not a finding: it is left
  out unless the spec says ``show_empty: true``; one named in the spec's ``col_order``
  gets a note saying so. Rows stay as they were (a row of zeros prints ``N/A`` cells
  beside its ``(n=0)``).
* :func:`held_merge` — a merged label names the categories the table's texts hold: with
  no municipal texts, seed 000's "Provincial and municipal level" is the provincial
  column and says so ("Provincial level", 省级), with a note that the municipal level
  had no texts; a merge keeping two or more of its categories keeps its label and names
  only those in its note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ihms.policy._agreement_words import CONTENT_NOTES, said_in

__all__ = ["counted_what", "drop_empty", "held_merge", "merged_notes"]

_NOTES = {
    "en": {
        "merged": "{label} combines {members}.",
        "empty": "{labels}: no {what}; left out of the table.",
        "sep": ", ",
        "last": " and ",
        "member": "{label} (n={n})",
    },
    "zh": {
        "merged": "{label}包括{members}。",
        "empty": "{labels}：无{what}，未列入表中。",
        "sep": "、",
        "last": "和",
        "member": "{label}（n={n}）",
    },
}


def counted_what(rdim, cdim, count: str) -> str:
    """What a 2D table's n counts, in the words of its notes."""
    if count == "documents":
        return "documents"
    if rdim.multi and cdim.multi:
        return "co-occurring pairs within a text"
    return "codings" if rdim.multi or cdim.multi else "texts"


def _joined(items: Sequence[str], lang: str) -> str:
    words = _NOTES[lang]
    if len(items) < 2:
        return "".join(items)
    return words["sep"].join(items[:-1]) + words["last"] + items[-1]


def _thing(what: str, lang: str) -> str:
    """What the table counts, as a note names it (``texts``; Chinese ``文本``)."""
    return CONTENT_NOTES["zh"][what][1] if lang == "zh" else what


def _member_key(dim, name) -> str:
    return dim.category(name).key if dim.kind == "closed" else str(name)


def held_merge(
    dim,
    merge: Mapping[str, Sequence[str]] | None,
    raw: Mapping[str, int],
    order,
    *,
    what: str,
    lang: str,
) -> tuple[dict[str, list[str]] | None, object, list[str]]:
    """``merge`` keeping only the categories with a count in ``raw`` (counts before the
    merge), ``order`` with a label that now stands for one category replaced by its key,
    and a note naming the categories left out.

    A merged label whose categories all count nothing stays (its column is empty and
    :func:`drop_empty` says so); one left with a single category is no merge any more:
    the column is that category's (seed 000's "Provincial and municipal level" without
    municipal texts is "Provincial level")."""
    if not merge:
        return merge, order, []
    kept: dict[str, list[str]] = {}
    renamed: dict[str, str] = {}
    empty: list[str] = []
    for label, members in merge.items():
        keys = [_member_key(dim, m) for m in members]
        held = [k for k in keys if raw.get(k, 0)]
        if not held or len(held) == len(keys):
            kept[label] = list(members)
            continue
        empty += [k for k in keys if k not in held]
        if len(held) == 1:
            renamed[label] = held[0]
        else:
            kept[label] = held
    if isinstance(order, (list, tuple)):
        order = [renamed.get(k, k) for k in order]
    notes = []
    if empty:
        labels = _joined([dim.value_label(k, lang) for k in empty], lang)
        notes.append(_NOTES[lang]["empty"].format(labels=labels, what=_thing(what, lang)))
    return kept or None, order, notes


def merged_notes(
    dim, merge: Mapping[str, Sequence[str]] | None, raw: Mapping[str, int], lang: str
) -> list[str]:
    """One note per merged label of ``merge`` naming its categories and each one's n in
    ``raw`` (counts before the merge, in the table's unit)."""
    words = _NOTES[lang]
    notes = []
    for label, members in (merge or {}).items():
        keys = [dim.category(m).key if dim.kind == "closed" else str(m) for m in members]
        parts = [
            words["member"].format(label=dim.value_label(k, lang), n=int(raw.get(k, 0)))
            for k in keys
        ]
        notes.append(
            words["merged"].format(label=said_in(lang, label), members=_joined(parts, lang))
        )
    return notes


def drop_empty(
    dim,
    keys: Sequence[str],
    counts: Mapping[str, int],
    order,
    *,
    show_empty: bool,
    label,
    what: str,
    lang: str,
) -> tuple[list[str], object, list[str]]:
    """``keys`` without the metadata categories that count nothing (unless
    ``show_empty``), ``order`` without them, and a note for those ``order`` named."""
    if show_empty or dim.source != "metadata" or dim.kind != "closed":
        return list(keys), order, []
    empty = [k for k in keys if not counts.get(k, 0)]
    if not empty:
        return list(keys), order, []
    named: list[str] = []
    if isinstance(order, (list, tuple)):
        named = [k for k in order if k in empty]
        order = [k for k in order if k not in empty]
    notes = []
    if named:
        labels = _joined([label(k) for k in named], lang)
        notes.append(_NOTES[lang]["empty"].format(labels=labels, what=_thing(what, lang)))
    return [k for k in keys if k not in empty], order, notes
