"""What ``policy import`` says about metadata values read through a codebook's aliases:
a level ``上海`` read as 省级 folds one level into another, and the researcher should
see it (session 21's county documents were silently 省级). An alias that is a form of
the category's own name (``省`` for 省级, ``区县级`` for 县级) is not said."""

from __future__ import annotations

from ihms._listing import first_of
from ihms.errors import InputError
from ihms.policy._codebook_models import norm_name

__all__ = ["folded_metadata", "given_metadata", "overridden_rules"]


def given_metadata(codebook, documents):
    """``(dimension, document, value)`` for each metadata value a document gives for a
    closed metadata dimension derived from a field (its ``level`` for the level)."""
    for dim in codebook.derived:
        if dim.kind != "closed" or not dim.derive_field:
            continue
        for doc in documents:
            given = getattr(doc, dim.derive_field, None)
            if given:
                yield dim, doc, str(given)


def _a_form_of(given: str, category) -> bool:
    """Whether ``given`` is the category's key or name, or one holds the other."""
    mine = norm_name(given)
    for name in (category.key, category.en, category.zh):
        name = norm_name(name or "")
        if name and (mine in name or name in mine):
            return True
    return False


def folded_metadata(codebook, documents) -> list[str]:
    """One note per metadata value that names a closed metadata dimension's category
    only through an alias that is no form of its name (``level '上海'`` → 省级)."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for dim, doc, given in given_metadata(codebook, documents):
        try:
            category = dim.category(given)
        except InputError:
            continue  # unknown values: corpus.unknown_metadata
        if not _a_form_of(given, category):
            found.setdefault((dim.derive_field, given, category.key), []).append(doc.id)
    notes = []
    for (fname, given, key), ids in found.items():
        category = next(c for d in codebook.derived if d.derive_field == fname
                        for c in d.categories if c.key == key)  # fmt: skip
        notes.append(
            f"{fname} {given!r} of {len(ids)} document(s) ({first_of(ids, 5)}) is read as {category.zh} "
            f"({key}) through the codebook's alias; correct the sheet or the codebook if that "
            "is not meant"
        )
    return notes


def overridden_rules(codebook, documents) -> list[str]:
    """One note per metadata value that overrides the category the codebook's derive
    rules give (``level '县级'`` for an issuer 义乌市卫生健康局, which the rules read as
    市级): the sheet wins, and the researcher sees what the rules would have said."""
    from ihms.policy.codebook import rule_value

    found: dict[tuple, list[str]] = {}
    for dim, doc, given in given_metadata(codebook, documents):
        try:
            category = dim.category(given)
        except InputError:
            continue  # unknown values: corpus.unknown_metadata
        guess, how = rule_value(dim, doc)
        if guess is not None and guess != category.key:
            key = (dim.key, dim.derive_field, given, guess, how.split()[0])
            found.setdefault(key, []).append(doc.id)
    notes = []
    for (key, fname, given, guess, field), ids in found.items():
        zh = codebook.dimension(key).category(guess).zh
        notes.append(
            f"{fname} {given!r} of {len(ids)} document(s) ({first_of(ids, 5)}) overrides the "
            f"codebook's rules, which give {zh} ({guess}) from the {field}"
        )
    return notes
