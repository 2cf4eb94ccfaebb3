"""The five published studies ihms was built from, and how user-facing text cites them.

Code, tests and data files name the studies by a three-digit id (``"002"``); a reader
needs the publication. :func:`cite` gives the in-text citation the way a paper writes it
(``cite("002", "Table 3")`` → ``"Zhong et al. 2023, Table 3"``) and
:func:`reference` the full entry for a reference list. Every user-facing mention of a
study goes through here, so the wording is the same in the report, its tables and the
CLI. The bibliographic details are those printed in the studies themselves; where the
copy ihms was built from does not give one (study 001's journal, study 003's authors,
year and journal), the entry says so rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ihms.errors import InputError

__all__ = [
    "GAO_2022",
    "JIA_2021",
    "SOURCE_STUDIES",
    "VIHQMR_STUDY",
    "VIHQMR_STUDY_ZH",
    "YU_2024",
    "ZHONG_2023",
    "SourceStudy",
    "as_study_ids",
    "cite",
    "cited",
    "cited_zh",
    "reference",
    "study_ids_cited",
]


@dataclass(frozen=True)
class SourceStudy:
    """One source study. ``short`` is the author-year name used in text;
    ``journal_abbrev`` (may be empty) is the journal's short name. ``short_zh``,
    ``authors_zh``, ``title_zh`` and ``note_zh`` say in Chinese what is ihms's own words
    (a study named by a label, not by author and year; a bracketed description; a note),
    for a ``--lang zh`` text and reference list; empty where the English is the
    publication's own."""

    id: str
    short: str
    authors: str
    year: int | None
    title: str
    journal: str = ""
    journal_abbrev: str = ""
    issue: str = ""
    doi: str = ""
    note: str = ""
    short_zh: str = ""
    authors_zh: str = ""
    title_zh: str = ""
    note_zh: str = ""

    def cite(self, where: str = "") -> str:
        # author-year only, as a paper cites: the journal is in the reference list, and
        # "(IJIC)" inside the parentheses the report's prose puts around a citation
        # nested them ("(Jia et al. 2021 (IJIC))")
        return f"{self.short}, {where}" if where else self.short

    def reference(self, lang: str = "en") -> str:
        if lang == "zh" and self.authors_zh:
            return f"{self.authors_zh}。{self.title_zh}。{self.note_zh or self.note}"
        if lang == "zh" and self.note_zh:
            return replace(self, note=self.note_zh).reference()
        year = f" ({self.year})" if self.year else ""
        parts = [f"{self.authors}{year}. {self.title}."]
        if self.journal:
            parts.append(f"{self.journal} {self.issue}.".replace(" .", "."))
        if self.doi:
            parts.append(f"https://doi.org/{self.doi}")
        if self.note:
            parts.append(self.note)
        return " ".join(parts)


SOURCE_STUDIES: dict[str, SourceStudy] = {
    s.id: s
    for s in (
        SourceStudy(
            "000",
            "Yu et al. 2024",
            "Yu Y, Wang S, You L",
            2024,
            "Understanding the Integrated Health Management System Policy in China From "
            "Multiple Perspectives: Systematic Review and Content Analysis",
            "Journal of Medical Internet Research",
            "JMIR",
            "26:e47197",
            "10.2196/47197",
        ),
        SourceStudy(
            "001",
            "Gao et al. 2022",
            "Gao H, Du XL, Liao JZ, Xiang L",
            2022,
            "The Pathway of China's Integrated Delivery System: Based on the Analysis of "
            "the Medical Consortium Policies",
            note="(Journal not named in the copy ihms was built from; "
            "© Huazhong University of Science and Technology 2022.)",
            note_zh="（ihms 所据副本未载期刊名；© Huazhong University of Science and "
            "Technology 2022。）",
        ),
        SourceStudy(
            "002",
            "Zhong et al. 2023",
            "Zhong Z, Yao Q, Chen S, Jiang J, Lin K, Yao Y, Xiang L",
            2023,
            "China Promotes Sanming's Model: A National Template for Integrated Medicare "
            "Payment Methods",
            "International Journal of Integrated Care",
            "IJIC",
            "23(2):15",
            "10.5334/ijic.7011",
        ),
        SourceStudy(
            "003",
            "VI-HQMR policy study",
            "[Authors not named in the copy ihms was built from]",
            None,
            "[Content analysis, by symbiosis theory, of 609 Chinese policies (2009-2024) on "
            "the vertical integration of high-quality medical resources (VI-HQMR)]",
            note="(Title, year and journal not given in that copy; the description in "
            "brackets is ihms's.)",
            short_zh="VI-HQMR 政策研究",
            authors_zh="［ihms 所据副本未载作者姓名］",
            title_zh="［以共生理论对 609 份中国政策（2009—2024 年）关于优质医疗资源纵向整合"
            "（VI-HQMR）的内容分析］",
            note_zh="（该副本未载题名、年份和期刊；方括号内的描述为 ihms 所加。）",
        ),
        SourceStudy(
            "004",
            "Jia et al. 2021",
            "Jia M, Wang F, Ma J, Tian M, Zhao M, Shen L",
            2021,
            "Implementation and Early Impacts of an Integrated Care Pilot Program in China: "
            "Case Study of County-level Integrated Health Organizations in Zhejiang Province",
            "International Journal of Integrated Care",
            "IJIC",
            "21(3):7",
            "10.5334/ijic.5605",
        ),
    )
}


def _study(study: str) -> SourceStudy:
    try:
        return SOURCE_STUDIES[study]
    except KeyError:
        raise InputError(
            f"source study {study!r}: expected one of {', '.join(SOURCE_STUDIES)}"
        ) from None


def cite(study: str, where: str = "") -> str:
    """The in-text citation of source study ``study`` (``"000"``…``"004"``), with the
    table or figure ``where`` after a comma: ``cite("004", "Table 2")`` →
    ``"Jia et al. 2021, Table 2"``."""
    return _study(study).cite(where)


def reference(study: str, *, lang: str = "en") -> str:
    """The reference-list entry of source study ``study`` (``lang="zh"``: ihms's own
    words in it said in Chinese, the publication's as printed)."""
    return _study(study).reference(lang)


def cited(text: str) -> str:
    """``text`` with each "seed 002" (the id code and older data files use) said as
    :func:`cite` says it; a random seed ("seed 20171001") is left alone."""
    return re.sub(r"\b[Ss]eed (00\d)\b", lambda m: cite(m[1]), text)


_TABLE = r"S?\d+"  # a table's number, a supplement's (S1) too
_TABLES = rf"{_TABLE}(?:\s*[–-]\s*{_TABLE})?"  # one table or a range of them
#: "Table N", or "Tables" and several (a singular "Table 4, 2016" is one table); a list
#: ends at its "and" item ("Tables 3 and 4, 2016": the year is no table); a singular
#: "Table 3 and 4" is two.
_CITED_TABLES = re.compile(
    rf"(, )?\b(?:Tables ({_TABLES}(?:, {_TABLES})*(?:,? and {_TABLES})?)"
    rf"|Table ({_TABLE} and {_TABLE}|{_TABLE}))"
)


def _tables_zh(m: re.Match) -> str:
    tables = m[2] or m[3]
    parts = [  # each a table or a range of them
        "至".join(f"表{n}" for n in re.split(r"\s*[–-]\s*", part))
        for part in re.split(r",? and |, ", tables)
    ]
    last = "和" if " and " in tables else "、"
    said = f"{'、'.join(parts[:-1])}{last}{parts[-1]}" if len(parts) > 1 else parts[0]
    return ("，" if m[1] else "") + said


def cited_zh(text: str) -> str:
    """``text`` with each "Table N" of a citation said as Chinese citations say it,
    表N, after a full-width comma where the English had a comma: the one rule for every
    ``--lang zh`` table, note and cell that cites a study's table. Several tables are
    said each, "Tables 3, 4 and 5" 表3、表4和表5, a range "Tables 1–12" 表1至表12, and a
    supplement's "Table S1" 表S1.

    >>> cited_zh("Zhong et al. 2023, Table 4"), cited_zh("Table 3 term: level change")
    ('Zhong et al. 2023，表4', '表3 term: level change')
    >>> cited_zh("Tables 3 and 4"), cited_zh("Table S1")
    ('表3和表4', '表S1')
    """
    return _CITED_TABLES.sub(_tables_zh, text)


def as_study_ids(text: str) -> str:
    """``text`` with each citation said by the study's id again, the inverse of
    :func:`cited` for the wording the rule files had ("Seed 002" opening the text, "seed
    002" elsewhere): what their digests were computed on, so that a rule set citing by
    author and year keeps the digest it had (and its ledgers their postings)."""
    opens = any(text.startswith(s.short) for s in SOURCE_STUDIES.values())
    for s in SOURCE_STUDIES.values():
        text = text.replace(s.short, f"seed {s.id}")
    return "S" + text[1:] if opens else text


def study_ids_cited(text: str) -> list[str]:
    """The ids of the source studies whose short name (or Chinese short name) occurs in
    ``text``, in id order (what a report's reference list must hold).

    >>> study_ids_cited("与 VI-HQMR 政策研究的发现一致；Yu et al. 2024")
    ['000', '003']
    """
    return [
        s.id
        for s in SOURCE_STUDIES.values()
        if s.short in text or (s.short_zh and s.short_zh in text)
    ]


#: The in-text names of the studies, for prose that names one without a table.
YU_2024 = cite("000")
GAO_2022 = cite("001")
ZHONG_2023 = cite("002")
VIHQMR_STUDY = cite("003")
#: Its name in Chinese text: "VI-HQMR policy study" is a label, not an author-year name.
VIHQMR_STUDY_ZH = SOURCE_STUDIES["003"].short_zh
JIA_2021 = cite("004")
