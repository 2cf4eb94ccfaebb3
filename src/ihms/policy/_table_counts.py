"""What a content table counts: each text's values of a dimension, or each document's
once (:func:`counted_values`), and what the table then says about documents
(:func:`mixed_documents`, :func:`documents_of_texts`)."""

from __future__ import annotations

import pandas as pd

from ihms._listing import first_of
from ihms._words import said
from ihms.errors import InputError
from ihms.policy._agreement_words import content_note


def counted_values(data, dim, count: str = "texts") -> pd.DataFrame:
    """``segment_id``, ``value`` of a dimension; with ``count="documents"`` the
    documents stand in for the texts (a metadata dimension has one value per document:
    seed 003 counts policy documents by year and level)."""
    long = data.long
    if count == "texts":
        return long.loc[long["dimension"] == dim.key, ["segment_id", "value"]].drop_duplicates()
    if count != "documents":
        raise InputError(f"count must be 'texts' or 'documents', got {count!r}")
    if dim.source != "metadata":
        raise InputError(
            f"count='documents' counts a document once per value of a metadata dimension "
            f"(level, year ...); {dim.key!r} is coded per text"
        )
    part = long.loc[long["dimension"] == dim.key, ["doc_id", "value"]]
    # one value per document: a coder may override a metadata dimension on some of a
    # document's texts; the document counts once, under its most frequent value (ties:
    # the first in sort order), and :func:`mixed_documents` says how many were mixed
    tally = part.value_counts().rename("n").reset_index()
    tally = tally.sort_values(["doc_id", "n", "value"], ascending=[True, False, True])
    part = tally.drop_duplicates("doc_id")[["doc_id", "value"]]
    return part.rename(columns={"doc_id": "segment_id"}).reset_index(drop=True)


def mixed_documents(data, dims, count: str, lang: str = "en") -> tuple[str, ...]:
    """A note for the documents whose texts carry more than one value of a metadata
    dimension counted by document (see :func:`counted_values`)."""
    if count != "documents":
        return ()
    long = data.long
    notes = []
    for dim in dims:
        found = long.loc[long["dimension"] == dim.key].groupby("doc_id")["value"].nunique()
        mixed = sorted(found.index[found > 1])
        if mixed:
            name = dim.label("zh") if lang == "zh" else dim.key
            notes.append(content_note(lang, "mixed", n=len(mixed), dim=name, first=first_of(mixed)))
    return tuple(notes)


def documents_of_texts(data, segment_ids) -> tuple[int, int]:
    """How many texts ``segment_ids`` are and from how many documents: seed 000's 1,345
    policy texts are paragraphs of 152 documents (its Methods), and a table of texts
    says so (:func:`texts_note`)."""
    texts = pd.unique(pd.Series(list(segment_ids), dtype=object))
    long = data.long
    docs = long.loc[long["segment_id"].isin(texts), "doc_id"].nunique()
    return len(texts), int(docs)


def n_of_texts(n: int, texts: int, docs: int, lang: str) -> str:
    """A count column's ``(n=…)``: ``(n=13 from 3 documents)`` where the ``texts`` are
    segments of fewer documents, else ``(n=13)``."""
    if docs >= texts:
        return f"(n={n})"
    return content_note(lang, "n from", n=n, docs=docs, s="" if docs == 1 else "s")


def texts_note(data, dims, segment_ids, lang: str) -> tuple[str, ...]:
    """A note where a table counts a document's property (level, nature, year ...) once
    per text and the texts are segments of fewer documents."""
    if not any(dim.source == "metadata" for dim in dims):
        return ()
    texts, docs = documents_of_texts(data, segment_ids)
    notes = ()
    if docs < texts:
        notes = (_TEXTS_NOTE[lang].format(texts=texts, docs=docs, s="" if docs == 1 else "s"),)
    return notes + uncoded_note(data, dims, segment_ids, lang)


def uncoded_note(data, dims, segment_ids, lang: str) -> tuple[str, ...]:
    """A table of metadata dimensions only (level, nature, orientation, year) counts
    every text of the included documents, as seed 000's n (its every paragraph): where
    some are not coded yet, a note says how many, since the tables of coded dimensions
    count only the coded ones."""
    uncoded = getattr(data, "uncoded", ())  # a stand-in without it: none
    if not all(dim.source == "metadata" for dim in dims) or not uncoded:
        return ()
    texts = set(segment_ids)
    n = len(texts & set(uncoded))
    if not n:
        return ()
    return (_UNCODED_NOTE[lang].format(n=n, total=len(texts)),)


def unresolved_note(data, dims, lang: str) -> tuple[str, ...]:
    """A table of a coded dimension built before every disagreement was decided leaves
    the unresolved answers out (:attr:`~ihms.policy.reconcile.CodedData.unresolved`):
    its notes say how many, since the table is what goes into the paper."""
    n = getattr(data, "unresolved", 0)  # a stand-in without it: none
    if not n or all(dim.source == "metadata" for dim in dims):
        return ()
    return (said(lang, "unresolved left out", n=f"{n:,}"),)


_UNCODED_NOTE = {
    "en": "n counts every text of the included documents: {n:,} of these {total:,} are not "
    "coded yet, which the tables of coded dimensions (policy tools, stakeholders ...) leave out.",
    "zh": "n 计入纳入文件的全部文本：其中 {n:,} 条（共 {total:,} 条）尚未编码，编码维度的表"
    "（政策工具、利益相关者等）不计这些文本。",
}


#: The note of :func:`texts_note`, for the paper: how to count each document once
#: instead (a table spec's ``count: documents``) is said on the console, not here.
_TEXTS_NOTE = {
    "en": "The {texts} texts are segments of {docs} document{s}; a document's own value "
    "(level, year ...) counts once for each of its texts.",
    "zh": "{texts} 条文本为 {docs} 份政策文件的分段；文件自身的取值（层级、年份等）按其每条文本"
    "各计一次。",
}
