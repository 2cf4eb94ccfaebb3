"""The notes of a machine coder's evaluation, kept as their kind and numbers.

A :class:`Note` is the note's English text (a ``str``, so every table, file and
``to_dict`` shows it unchanged) that also keeps what it was said from: its ``kind``
and ``params``. :meth:`Note.said` phrases the same kind and numbers in another
language (:mod:`ihms.policy.autocode._evaluation_zh`), so no note is recognised by
its wording.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["ENGLISH", "Note", "said_in"]


def _copies_in_fold(docs: tuple[str, ...], threshold: float) -> str:
    return (
        f"Documents {', '.join(docs)} are near-identical copies (Jaccard >= "
        f"{threshold:g} of character 5-grams) and were kept in one fold."
    )


def _copies_drawn_together(docs: tuple[str, ...], threshold: float) -> str:
    return (
        f"Documents {', '.join(docs)} are near-identical copies (Jaccard >= "
        f"{threshold:g} of character 5-grams), drawn together by the bootstrap."
    )


def _uncalibrated(folds: tuple[tuple[int, int], ...]) -> str:
    named = ", ".join(f"fold {k} ({n:,} segments)" for k, n in folds)
    return (
        f"The model of {named} could not calibrate its probabilities (a "
        "category coded in too few of its training documents): its held-out segments "
        "have no probability and are left out of the coverage curve and the nested cut, "
        "as a model that cannot calibrate refuses --min-probability."
    )


def _refused_cuts(counts: Mapping[str, Mapping[str, int]], n_folds: int, alpha: float) -> str:
    what = {"never": "never coded there", "always": "coded on every segment there"}
    parts = [
        f"{category} in {n} of the {n_folds} folds ({what[kind]})"
        for category, by_kind in counts.items()
        for kind, n in by_kind.items()
    ]
    return (
        f"The fold models refused a tuned cut: {'; '.join(parts)}. On those folds' "
        "calibration segments the codes lay above the cut that gave the best F1 no more "
        "often than chance would put them there (one-sided hypergeometric test, p >= "
        f"{alpha:g}), so those folds gave the category the majority answer of its "
        "codes, and its held-out F1 and kappa above are those of that answer."
    )


def _twins(n: int, total: int, rest: int, kappa: float | None) -> str:
    without = "no kappa" if kappa is None else f"kappa = {kappa:.3f}"
    return (
        f"{n:,} of the {total:,} held-out segments have a twin coded in a training "
        "fold (the same text but for place names, numbers and punctuation: a paragraph "
        f"copied between documents), which flatters kappa; on the {rest:,} without "
        f"one, {without}. twins_together=True (--twins-together) keeps such documents "
        "in one fold."
    )


def _unseen(categories: tuple[str, ...]) -> str:
    return (
        f"No person coded {', '.join(categories)}: the rules' codes of "
        f"{'it' if len(categories) == 1 else 'them'} are left out of the comparison."
    )


def _rules(n_rules: int, n_categories: int) -> str:
    return f"{n_rules} keyword rules for {n_categories} categories"


def _repeats(summary: Mapping[str, Any]) -> str:
    first, last = summary["seeds"][0], summary["seeds"][-1]
    return (
        f"Repeated cross-validation: {len(summary['kappas'])} runs, seeds {first} to {last} "
        f"(the first is the table's run: folds seeded {first}, the coder's own solver seed; "
        f"each later run seeds folds and solver alike): kappa mean {summary['mean']:.3f}, "
        f"SD {summary['sd']:.3f}, range {summary['min']:.3f} to {summary['max']:.3f}."
    )


def _counts(n_documents: int, n_training: int) -> str:
    return f"{n_documents:,} documents, {n_training:,} segments with final codes"


def _title_rules(name: str, n_documents: int, n_training: int) -> str:
    return (
        f"Keyword rules vs human, {name}: every coded segment ({_counts(n_documents, n_training)})"
    )


def _title_folds(name: str, n_splits: int, n_documents: int, n_training: int) -> str:
    return (
        f"Machine vs human, {name}: {n_splits}-fold cross-validation by document "
        f"({_counts(n_documents, n_training)})"
    )


_KAPPA = "Kappa per dimension compares whole answers; per category, present/absent."


def _method_rules(rules: str) -> str:
    return (
        f"Machine: {rules}. Rules learn nothing from the codes, so every coded "
        "segment is scored (no folds); a segment no rule matched counts as "
        f"'nothing applies'. {_KAPPA}"
    )


def _method_folds() -> str:
    return f"Machine: codes for documents the model never saw in training. {_KAPPA}"


def _human_few(coders: tuple[str, ...]) -> str:
    only = f" (only {coders[0]})" if coders else ""
    return (
        f"Human vs human: no kappa, fewer than two human coders{only}; code a "
        "sample twice to set the machine beside people."
    )


def _human_pair(coders: tuple[str, ...]) -> str:
    return (
        f"Human vs human: {', '.join(coders)} on the same segments "
        "(ihms.stats.agreement, as the agreement table)."
    )


def _machine_interval(interval: Any) -> str:
    return interval.note("Machine vs reconciled kappa and F1")


def _human_interval(level: float) -> str:
    return (
        f"Human vs human {level:.0%} CI: the same bootstrap (seed, resamples) over "
        "the documents both coders coded."
    )


def _human_no_interval() -> str:
    return "Human vs human: no interval (more than two coders)."


def _machine_only(n: int) -> str:
    return (
        f"Left out: {n:,} segment{'s' if n != 1 else ''} whose only code is a machine "
        "answer a person accepted (a machine is graded against people's codes, not "
        "against an earlier machine's)."
    )


#: Each kind of note in English, from its params.
ENGLISH: dict[str, Callable[..., str]] = {
    "copies in fold": _copies_in_fold,
    "copies drawn together": _copies_drawn_together,
    "uncalibrated": _uncalibrated,
    "refused cuts": _refused_cuts,
    "twins": _twins,
    "unseen": _unseen,
    "rules": _rules,
    "repeats": _repeats,
    "title rules": _title_rules,
    "title folds": _title_folds,
    "method rules": _method_rules,
    "method folds": _method_folds,
    "human few": _human_few,
    "human pair": _human_pair,
    "machine interval": _machine_interval,
    "human interval": _human_interval,
    "human no interval": _human_no_interval,
    "machine only": _machine_only,
}


def _note(kind: str, params: dict[str, Any]) -> Note:
    return Note(kind, **params)


class Note(str):
    """A note's English text that keeps its ``kind`` and ``params``.

    Examples
    --------
    >>> note = Note("rules", n_rules=4, n_categories=5)
    >>> note
    '4 keyword rules for 5 categories'
    >>> note.said("zh")
    '4 条关键词规则，覆盖 5 个类目'
    """

    kind: str
    params: dict[str, Any]

    def __new__(cls, kind: str, **params: Any) -> Note:
        self = super().__new__(cls, ENGLISH[kind](**params))
        self.kind, self.params = kind, params
        return self

    def __reduce__(self):  # pickle and copy rebuild it from its kind, not its text
        return (_note, (self.kind, self.params))

    def said(self, lang: str, labels: Mapping[str, str] | None = None) -> str:
        """The note in ``lang`` (``"zh"``: the categories by their ``labels``)."""
        if lang == "en":
            return str(self)
        from ihms.policy.autocode._evaluation_zh import CHINESE

        return CHINESE[self.kind](labels or {}, **self.params)


def said_in(lang: str, note: str, labels: Mapping[str, str] | None = None) -> str:
    """``note`` in ``lang`` when it is a :class:`Note`; a note of another origin (a
    plain string) as written."""
    return note.said(lang, labels) if isinstance(note, Note) else note
