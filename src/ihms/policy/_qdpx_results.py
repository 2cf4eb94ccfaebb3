"""What :func:`ihms.policy.qdpx.export_qdpx` wrote and :func:`ihms.policy.qdpx.import_qdpx`
read and stored: the results of a REFI-QDA exchange, each with its ``summary()``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ihms._repr import SummaryHtml
from ihms.summary import SummaryTable

__all__ = ["QdpxExport", "QdpxImport"]


@dataclass(frozen=True)
class QdpxExport(SummaryHtml):
    """What :func:`~ihms.policy.qdpx.export_qdpx` wrote."""

    path: str
    scheme: str | None
    documents: int
    users: tuple[str, ...]
    selections: int
    codings: int
    notes: tuple[str, ...] = ()
    #: the language of the summary (``"zh"``: REFI-QDA 项目交换文件), as of the code names
    lang: str = "en"

    def summary(self) -> SummaryTable:
        from ihms.policy._agreement_words import content_note, said_in

        lang = self.lang
        rows = ["text sources", "users (coders)", "selections", "codings"]
        frame = pd.DataFrame(
            {said_in(lang, "n"): [self.documents, len(self.users), self.selections, self.codings]},
            index=pd.Index([said_in(lang, r) for r in rows], name=said_in(lang, "REFI-QDA export")),
        )
        users = content_note(lang, "list").join(self.users) or content_note(lang, "no users")
        notes = (
            content_note(lang, "qdpx written", path=self.path),
            content_note(lang, "users", users=users),
            *self.notes,
        )
        title = said_in(lang, "REFI-QDA project exchange file")
        return SummaryTable(frame, title=title, notes=notes, lang=lang)


@dataclass(frozen=True)
class QdpxImport(SummaryHtml):
    """What :func:`~ihms.policy.qdpx.import_qdpx` read and stored."""

    file: str
    origin: str
    coder: str
    user: str
    sources_matched: int
    selections: int
    answers: int
    added: int
    replaced: int
    unchanged: int
    #: selections that reached no segment's ``min_overlap``: (source, start, end, guid)
    unplaced: tuple[tuple[str, int, int, str], ...] = ()
    #: codes left out: the file's cases and those named in ``ignore_codes``
    ignored_codes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    #: as in :class:`~ihms.policy.coding.CodingImport`: automatic agreements withdrawn
    #: because this coder's answer changed, and decisions made on changed answers
    agreements_withdrawn: int = 0
    decisions_to_review: tuple[tuple[str, str], ...] = ()
    #: the file's user was ihms's ``reconciled`` user: its answers became the project's
    #: decisions (``added``/``replaced``/``unchanged`` count segment × dimension pairs)
    reconciliation: bool = False

    def summary(self, *, lang: str = "en") -> SummaryTable:
        """What was read and stored; ``lang="zh"``: title, rows and notes in Chinese (从
        REFI-QDA 文件导入的编码, 新增编码), the import's own notes as they are.

        Parameters
        ----------
        lang
            ``"en"`` or ``"zh"``.
        """
        from ihms.policy._agreement_words import content_note, said_in

        stored = "decisions" if self.reconciliation else "codings"
        rows = {
            "text sources matched": self.sources_matched,
            "selections read": self.selections,
            "selections placed on no segment": len(self.unplaced),
            "segment × dimension answers": self.answers,
            f"{stored} added": self.added,
            "answers replaced": self.replaced,
            "answers unchanged": self.unchanged,
        }
        index = pd.Index([said_in(lang, r) for r in rows], name=said_in(lang, "REFI-QDA import"))
        frame = pd.DataFrame({said_in(lang, "n"): list(rows.values())}, index=index)
        into = (content_note(lang, "into decisions") if self.reconciliation
                else content_note(lang, "into coder", coder=self.coder))  # fmt: skip
        origin = self.origin or content_note(lang, "no origin")
        notes = [content_note(lang, "imported from", file=self.file, origin=origin,
                              user=self.user, into=into), *self.notes]  # fmt: skip
        if self.ignored_codes:
            codes = content_note(lang, "list").join(self.ignored_codes)
            notes.append(content_note(lang, "codes left out", codes=codes))
        title = said_in(lang, "Codings imported from a REFI-QDA file")
        return SummaryTable(frame, title=title, notes=notes, lang=lang)
