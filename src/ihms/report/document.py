"""The report as data: sections made of paragraphs, tables and figures.

Analysis code produces results objects; the demo (and any user script) turns them into
a :class:`Report` of :class:`Section` blocks. Rendering lives in
:mod:`ihms.report.render`; nothing here computes a statistic.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ihms._repr import brief_repr
from ihms.summary import SummaryTable

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure as MplFigure

__all__ = ["Block", "Figure", "Paragraph", "Report", "Section", "Table", "slugify"]


def slugify(text: str) -> str:
    """A file-name-safe id: lower case ASCII letters, digits and dashes.

    Parameters
    ----------
    text
        A title or name; each run of other characters (CJK included) becomes one dash,
        dashes at either end are dropped.

    Returns
    -------
    str
        The id; ``"item"`` where nothing ASCII is left.

    >>> slugify("ITS: Table 3"), slugify("门诊")
    ('its-table-3', 'item')
    """
    slug = re.sub(r"[^0-9a-zA-Z]+", "-", text).strip("-").lower()
    return slug or "item"


@dataclass(frozen=True)
class Paragraph:
    """Prose. ``text`` is plain text; blank lines separate paragraphs and ``**...**``
    marks a strong (bold) span in HTML."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table with a stable ``name`` (used for the CSV file and the XLSX sheet).
    ``folded``: the HTML page shows it closed (a ``<details>`` element a reader opens),
    for a long list whose totals are shown beside it; the CSV and XLSX hold it whole."""

    name: str
    table: SummaryTable
    folded: bool = False

    def __repr__(self) -> str:
        # the generated repr printed the whole frame
        return brief_repr(
            self, name=self.name, title=self.table.title or None, rows=len(self.table.frame)
        )

    @classmethod
    def from_frame(
        cls,
        name: str,
        frame: pd.DataFrame,
        *,
        title: str = "",
        notes: tuple[str, ...] = (),
        show_index: bool = True,
        digits: int = 4,
    ) -> Table:
        return cls(
            name,
            SummaryTable(frame, title=title, notes=notes, show_index=show_index, digits=digits),
        )


@dataclass(frozen=True)
class Figure:
    """A rendered figure: image bytes plus caption. ``fmt`` is ``"png"`` or ``"svg"``."""

    name: str
    data: bytes
    caption: str = ""
    fmt: str = "png"

    def __repr__(self) -> str:
        # the generated repr printed the image's bytes (~200,000 characters for a PNG)
        return brief_repr(self, name=self.name, fmt=self.fmt, size=len(self.data))

    @classmethod
    def from_matplotlib(
        cls, name: str, fig: MplFigure, *, caption: str = "", fmt: str = "png", dpi: int = 110
    ) -> Figure:
        """Render and close a matplotlib figure (so a long demo does not hold them all)."""
        import matplotlib.pyplot as plt

        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=dpi, bbox_inches="tight")
        plt.close(fig)
        return cls(name, buf.getvalue(), caption, fmt)


Block = Paragraph | Table | Figure


@dataclass
class Section:
    """One part of the report.

    Parameters
    ----------
    id
        Anchor and file-name prefix, e.g. ``"its"``.
    title
        Heading.
    mirrors
        Which study table or figure the section reproduces, cited as
        :func:`ihms.sources.cite` does: ``"Zhong et al. 2023, Table 3"``.
    blocks
        The section's text, tables and figures in order (:meth:`text`, :meth:`table`,
        :meth:`figure` add them).
    """

    id: str
    title: str
    mirrors: str = ""
    blocks: list[Block] = field(default_factory=list)

    def __repr__(self) -> str:
        return brief_repr(
            self,
            id=self.id,
            title=self.title,
            paragraphs=sum(isinstance(b, Paragraph) for b in self.blocks),
            tables=len(self.tables()),
            figures=len(self.figures()),
        )

    def text(self, text: str) -> Section:
        """Append a :class:`Paragraph`.

        Parameters
        ----------
        text
            Plain text; a blank line starts a new paragraph, ``**...**`` is bold in HTML.

        Returns
        -------
        Section
            This section, so calls chain.
        """
        self.blocks.append(Paragraph(text))
        return self

    def table(
        self, name: str, table: SummaryTable | pd.DataFrame, *, folded: bool = False, **kwargs: Any
    ) -> Section:
        """Append a :class:`Table`.

        Parameters
        ----------
        name
            Stable table name: the CSV file's stem and the XLSX sheet's name.
        table
            A :class:`~ihms.summary.SummaryTable`, or a DataFrame wrapped in one.
        folded
            Show it closed in HTML (a ``<details>`` element); CSV and XLSX hold it whole.
        **kwargs
            For a DataFrame only: ``title``, ``notes``, ``show_index`` and ``digits`` of
            :class:`~ihms.summary.SummaryTable`.

        Returns
        -------
        Section
            This section, so calls chain.
        """
        if isinstance(table, pd.DataFrame):
            table = Table.from_frame(name, table, **kwargs).table
        self.blocks.append(Table(name, table, folded=folded))
        return self

    def figure(self, name: str, fig: MplFigure, *, caption: str = "", fmt: str = "png") -> Section:
        """Render a matplotlib figure (at 110 dpi), close it and append it as a :class:`Figure`.

        Parameters
        ----------
        name
            Stable figure name: the image file's stem.
        fig
            The figure; closed once rendered.
        caption
            Text under the image.
        fmt
            ``"png"`` or ``"svg"`` (the HTML shows the figure as an image).

        Returns
        -------
        Section
            This section, so calls chain.
        """
        self.blocks.append(Figure.from_matplotlib(name, fig, caption=caption, fmt=fmt))
        return self

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]


@dataclass
class Report:
    """A titled list of sections.

    ``references``: the reference list, one entry each, written after the last section
    (a ``https://`` address in an entry becomes a link). ``provenance``: what the
    footer says made the report (version, commit, inputs), after its UTC time stamp.
    ``sheet_note``: a line above every tables.xlsx grid (what its figures are: a sheet
    travels without the report around it). ``lang``: ``"en"`` or ``"zh"``, the language
    of the words the rendering adds (headings of the reference list, the footer, the
    CSV links) and of the page's ``lang`` attribute; the sections bring their own words.
    """

    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    references: tuple[str, ...] = ()
    provenance: str = ""
    sheet_note: str = ""
    lang: str = "en"

    def __repr__(self) -> str:
        # the generated repr printed every section's prose, tables and image bytes (over
        # a million characters for the demo's report)
        return brief_repr(self, title=self.title, sections=tuple(s.id for s in self.sections))

    def add(self, section: Section) -> Section:
        """Append a section.

        Parameters
        ----------
        section
            The section; its ``id`` must be new to the report.

        Returns
        -------
        Section
            ``section`` itself, to fill in after adding.

        Raises
        ------
        ValueError
            A section with the same ``id`` is already in the report.
        """
        if any(s.id == section.id for s in self.sections):
            raise ValueError(f"report already has a section with id {section.id!r}")
        self.sections.append(section)
        return section

    def all_tables(self) -> list[tuple[Section, Table]]:
        return [(s, t) for s in self.sections for t in s.tables()]
