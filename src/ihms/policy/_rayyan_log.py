"""Rayyan's ``customizations_log.csv``: whose exclusion reason is whose.

The export's ``articles.csv`` gives an article's exclusion reasons, not each reviewer's.
The other file of the export, ``customizations_log.csv``, is the history of every
reviewer's clicks — ``created_at, user_id, user_email, article_id, key, value`` — with
``key`` ``included`` (value 1 include, 0 maybe, -1 exclude), ``"__EXR__<reason>"`` (an
exclusion reason given, value 1, or taken back) or a label, and in reviews with a
full-text stage ``included__SYSTEM__STAGE__<n>`` for that stage's decisions (rayyanR's
example exports ``example_inputs/customizations_log.csv`` and
``test/MLJ_includes/customizations_log.csv``). The last event of a user, article and key
stands.

It names reviewers by e-mail address, ``articles.csv`` by display name, so a name is
tied to the address whose final decisions on the export's articles are exactly that
name's (the same articles, the same decisions, under one decision key); a name that
several addresses or none fit keeps the article's reasons. Labels are not read: ihms
has no use for them, and the decisions are ``articles.csv``'s.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ihms.errors import InputError

_DECISION = {"1": "include", "0": "maybe", "-1": "exclude"}
_STAGE_SUFFIX = re.compile(r"__SYSTEM__STAGE__\d+$")
_COLUMNS = ("created_at", "user_email", "article_id", "key", "value")


@dataclass(frozen=True)
class RayyanLog:
    """Each reviewer's own exclusion reasons, by the names of ``articles.csv``.

    ``reasons[(name, article_id)]`` are the reasons that reviewer gave (in the order
    first given); ``emails`` maps each name tied to an address; ``untied`` says why a
    name was not; ``read_notes`` what reading the file said (a title or blank rows left
    out above its header)."""

    path: Path
    reasons: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    untied: dict[str, str] = field(default_factory=dict)
    read_notes: tuple[str, ...] = ()

    def notes(self) -> list[str]:
        tied = ", ".join(f"{n} = {e}" for n, e in self.emails.items()) or "nobody"
        out = [
            f"{self.path.name}: each reviewer's own exclusion reasons read for {tied} "
            "(tied by their decisions on the export's articles)",
            *self.read_notes,
        ]
        out += [f"{self.path.name}: {name} {why}" for name, why in self.untied.items()]
        if not self.emails and not self.untied:
            out.append(
                f"{self.path.name}: no article of the export has Rayyan's key "
                "(rayyan-<article id>) to find it in the log by"
            )
        return out


def read_rayyan_log(path: Path, votes: dict[str, dict[str, str]]) -> RayyanLog:
    """Read ``customizations_log.csv`` for the reviewers of ``votes``
    (``{name: {article_id: decision}}`` as ``articles.csv`` gives them, decision
    ``include``/``exclude``/``maybe``, article ids without ``rayyan-``)."""
    from ihms.policy.sheet import read_table_file
    from ihms.stats._cells import blank_rows

    read: list[str] = []
    frame = read_table_file(path, expected=", ".join(_COLUMNS), columns=_COLUMNS, notes=read)
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in _COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            f"{path.name}: missing column(s) {missing} of Rayyan's customizations log; "
            f"got {list(frame.columns)}"
        )
    frame = frame[~blank_rows(frame)].sort_values("created_at", kind="stable")
    # the last event of a user, article and key stands
    final: dict[tuple[str, str, str], tuple[str, str]] = {}
    for n, rec in enumerate(frame.to_dict(orient="records")):
        key = rec["key"].strip().strip('"').strip()
        final[(rec["user_email"].strip(), rec["article_id"].strip(), key)] = (
            rec["value"].strip(),
            f"{n:09d}",
        )
    decisions: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)  # (email, key)
    given: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for (email, article, key), (value, order) in final.items():
        if key == "included" or (key.startswith("included") and _STAGE_SUFFIX.search(key)):
            if value in _DECISION:
                decisions[(email, key)][article] = _DECISION[value]
        elif key.startswith("__EXR__") and value == "1":
            reason = _STAGE_SUFFIX.sub("", key[len("__EXR__") :]).strip()
            given[(email, article)].append((order, reason))
    articles = {a for said in votes.values() for a in said}
    emails: dict[str, str] = {}
    untied: dict[str, str] = {}
    for name, said in votes.items():
        fits = sorted(
            {
                email
                for (email, _), theirs in decisions.items()
                if {a: d for a, d in theirs.items() if a in articles} == said
            }
        )
        if len(fits) == 1:
            emails[name] = fits[0]
        else:
            untied[name] = (
                "matches no address's decisions"
                if not fits
                else f"matches the decisions of several addresses ({', '.join(fits)})"
            ) + "; their exclusions keep the article's reasons"
    twice = defaultdict(list)
    for name, email in emails.items():
        twice[email].append(name)
    for names in twice.values():
        if len(names) > 1:  # two names with the same decisions: cannot tell them apart
            for name in names:
                del emails[name]
                untied[name] = (
                    f"has the same decisions as {', '.join(n for n in names if n != name)}; "
                    "their exclusions keep the article's reasons"
                )
    reasons = {
        (name, article): tuple(dict.fromkeys(r for _, r in sorted(given[(email, article)])))
        for name, email in emails.items()
        for article in votes[name]
        if given.get((email, article))
    }
    return RayyanLog(path, reasons, emails, untied, read_notes=tuple(read))
