"""Open answers with a closed second level (seed 003's symbiotic environment: policy /
technology / economy / society): how a coder types one, how it is stored, and the
errors a typed answer meets. :class:`~ihms.policy.codebook.Dimension` mixes these in."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ihms.errors import InputError, did_you_mean
from ihms.policy._codebook_models import norm_name

if TYPE_CHECKING:
    from ihms.policy.codebook import Group

__all__ = ["ANSWER_SEP", "GroupedAnswers"]

#: Between the group and the answer of a grouped open answer as stored (``policy:多点执业``).
ANSWER_SEP = ":"
_TYPED_SEP = re.compile("[:：]")


class GroupedAnswers:
    """The grouped-answer methods of a dimension (``answer_groups``, ``_lookup``)."""

    def answer_group(self, name: str) -> Group:
        """The group of an open dimension called ``name`` (key, English or Chinese name
        or alias; case and spaces ignored).

        Raises
        ------
        InputError
            No group has that name; the message lists the groups.
        """
        found = self._lookup["groups"].get(norm_name(name))
        if found is None:
            raise InputError(
                f"dimension {self.key!r}: unknown group {name!r}"
                f"{did_you_mean(name, self._group_names())}; {self._groups_hint()}"
            )
        return found

    def _group_names(self) -> list[str]:
        return [n for g in self.answer_groups for n in (g.key, g.en, g.zh, *g.aliases)]

    def _groups_hint(self) -> str:
        if not self.answer_groups:
            return f"{self.key!r} has no groups"
        return "groups: " + ", ".join(f"{g.key} ({g.en} / {g.zh})" for g in self.answer_groups)

    def split_answer(self, value: str) -> tuple[str | None, str]:
        """``(group key, answer)`` of a stored grouped answer (``policy:多点执业`` →
        ``("policy", "多点执业")``); ``(None, value)`` for any other value."""
        text = str(value)
        if self.answer_groups and ANSWER_SEP in text:
            group, answer = text.split(ANSWER_SEP, 1)
            if group in {g.key for g in self.answer_groups}:
                return group, answer
        return None, text

    def _typed_group(self, text: str) -> tuple[Group | None, str]:
        m = _TYPED_SEP.search(text)
        if m is None:
            return None, text
        return self._lookup["groups"].get(norm_name(text[: m.start()])), text[m.end() :]

    def parse_answer(self, text: str, *, group: str | None = None) -> str:
        """A typed answer as stored: :meth:`normalize`'s, but a grouped dimension's
        answer must name its group (or take ``group``, a group's key or name, when it
        names none: the rest of a list after ``政策环境：``).

        Raises
        ------
        InputError
            A grouped answer without a group, with an unknown group, or a group without
            an answer; the message lists the groups.
        """
        if not self.answer_groups:
            return self.normalize(text)
        typed = str(text).strip()
        found, rest = self._typed_group(typed)
        m = _TYPED_SEP.search(typed)
        if found is None and m is not None and group is None:
            prefix = typed[: m.start()].strip()
            raise InputError(
                f"dimension {self.key!r}: {typed!r} names unknown group {prefix!r}"
                f"{did_you_mean(prefix, self._group_names())}; {self._groups_hint()}"
            )
        if found is None and group is None:
            if norm_name(typed) in self._lookup["groups"]:
                g = self._lookup["groups"][norm_name(typed)]
                raise InputError(
                    f"dimension {self.key!r}: {typed!r} names group {g.key!r} but no answer; "
                    f"write the answer after it ('{typed}: <answer>')"
                )
            raise InputError(
                f"dimension {self.key!r}: answer {typed!r} has no group; write it as "
                f"'<group>: {typed}' ({self._groups_hint()})"
            )
        if found is None:
            found, rest = self.answer_group(group), typed
        if not self._canonical(rest):
            raise InputError(
                f"dimension {self.key!r}: {typed!r} names group {found.key!r} but no answer"
            )
        return f"{found.key}{ANSWER_SEP}{self._canonical(rest)}"
