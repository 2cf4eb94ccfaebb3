"""Demo step: the policy content analysis of seeds 000 and 003 on the example corpus.

Builds a coding project from ``examples/policies/`` (documents of every format, the
metadata sheet, two reviewers' screening decisions with the lead's resolutions, and two
coders' 6D codings with the lead's decisions), then reports the PRISMA flow, the corpus, inter-coder agreement, seed 000's
1D and 2D tables, the time evolution, word frequencies and the cooperation network.
Leaves ``ctx.artefacts["policy_project"]`` (the project file) and
``ctx.artefacts["policy_agreement"]`` (the coders' agreement report) for later steps.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ihms.demo._policy_glossary import chinese_names, with_chinese_names
from ihms.demo._policy_words import words_section
from ihms.demo._policy_zh import (
    NETWORK_TEXT,
    OVERVIEW_ZH,
    TWO_D_TEXT,
    agreement_text,
    corpus_text,
    dataset_text,
    one_d_text,
    screening_method,
    trend_text,
)
from ihms.demo._run import DemoContext
from ihms.report import Section
from ihms.sources import VIHQMR_STUDY, VIHQMR_STUDY_ZH, YU_2024, cited_zh
from ihms.summary import SummaryTable

__all__ = ["PolicyResults", "policy_results", "policy_sections", "sections_of"]

CODERS = ("coder_a", "coder_b")


def _examples_dir() -> Path:
    here = Path(__file__).resolve()
    for base in (here.parents[3], Path.cwd()):
        candidate = base / "examples" / "policies"
        if (candidate / "metadata.xlsx").is_file():
            return candidate
    raise FileNotFoundError("examples/policies/ not found (run the demo from the repository)")


def _build_project(ctx: DemoContext, examples: Path):
    from ihms.policy import (
        ScreeningCriteria,
        find_duplicates,
        import_codings,
        import_folder,
        load_codebook,
        read_resolutions,
        read_reviewer_decisions,
        reconcile,
        record_decisions,
        screen,
    )
    from ihms.policy.project import Project

    corpus = import_folder(examples / "corpus", metadata=examples / "metadata.xlsx")
    project = Project.create(
        ctx.work_dir / "policy.sqlite", load_codebook("6d"), name="example corpus", overwrite=True
    )
    project.add_documents(corpus.documents)
    screening = screen(
        corpus.documents,
        duplicates=find_duplicates(corpus.documents),
        # two reviewers screened independently; the lead settled their conflicts
        decisions=read_reviewer_decisions(
            [examples / f"screening_{r}.csv" for r in ("reviewer_a", "reviewer_b")]
        ),
        resolutions=read_resolutions(examples / "screening_resolutions.csv"),
        criteria=ScreeningCriteria(date_to=dt.date(2021, 12, 31)),
    )
    project.set_screening(screening)
    project.segment("paragraph")
    project.segment("clause")
    for coder in CODERS:
        import_codings(project, examples / "codings" / f"{coder}.xlsx", coder=coder)
    reconcile(project, coders=list(CODERS))
    record_decisions(project, examples / "codings" / "decisions.xlsx", decided_by="lead")
    return corpus, screening, project


def _screening_method(screening, lang: str = "en") -> str:
    """How the records were screened, as PRISMA 2020 item 8 asks a methods section."""
    title, full = screening.method.stages
    settled = sum(n for a in (title, full) for _, n in a.settled)
    if lang == "zh":
        return screening_method(title, full, settled)
    return (
        f"Two reviewers screened every record and report independently: they agreed on "
        f"{title.percent_agreement:.1f}% of titles (Cohen's κ {title.kappa:.2f}, Gwet's AC1 "
        f"{title.ac1:.2f}) and {full.percent_agreement:.1f}% of full texts (κ {full.kappa:.2f}, "
        f"AC1 {full.ac1:.2f}); the lead decided "
        f"their {settled} conflicts. The table below gives the agreement per stage, and the flow "
        "diagram states the method beneath its boxes, as PRISMA 2020 item 8 asks."
    )


def _format_rows(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """One row per file format: the number of files and, for formats read from bytes
    (.txt, .html), how many were in each encoding — counted within that format only."""
    rows = []
    for fmt in ("txt", "docx", "pdf", "html"):
        files = frame[frame["format"] == fmt]
        if files.empty:
            continue
        encodings = files["encoding"].replace("", None).dropna().value_counts()
        detail = " / ".join(f"{enc.upper()} {n}" for enc, n in encodings.items())
        rows.append((f"  .{fmt}", f"{len(files)} ({detail})" if detail else str(len(files))))
    return rows


def _corpus_counts(corpus, project) -> list[tuple[str, object]]:
    """The corpus overview's rows, each by its English label: files read per format,
    documents included, segments coded (numbers; :func:`_corpus_overview` says them)."""
    docs = project.documents()
    included = docs[docs["status"] == "included"]
    frame = corpus.to_frame().set_index("id")
    return [
        ("Files read", len(frame)),
        *_format_rows(frame),
        ("Files with a field the metadata sheet left blank, read from the text (number, date, issuer, title)",
         int(frame["extracted"].str.len().gt(0).sum())),
        ("Lines cleaned away (headers, web debris, signatures, tables)", int(frame["removed_lines"].sum())),
        ("Documents included", len(included)),
        ("  national / provincial / municipal / Shanghai",
         " / ".join(str((included["level"] == k).sum()) for k in ("national", "provincial", "municipal", "shanghai"))),
        ("  years", f"{int(included['year'].min())}–{int(included['year'].max())}"),
        (f"Paragraph segments ({YU_2024})", len(project.segments(scheme="paragraph"))),
        (f"Clause entries level-file-clause-item ({VIHQMR_STUDY})", len(project.segments(scheme="clause"))),
    ]  # fmt: skip


def _corpus_overview(rows: list[tuple[str, object]], lang: str) -> pd.DataFrame:
    if lang == "zh":  # the encodings in full-width brackets: 24（UTF-8 21 / GBK 2 / GB18030 1）
        rows = [
            (OVERVIEW_ZH.get(label, label), re.sub(r" \((.*)\)$", r"（\1）", str(value)))
            for label, value in rows
        ]
        columns = ["语料", "数值"]
    else:
        columns = ["corpus", "value"]
    return pd.DataFrame(rows, columns=columns).set_index(columns[0]).astype(str)


@dataclass(frozen=True, eq=False)
class PolicyResults:
    """What the policy step computed on the example corpus, in no language: the
    sections are phrased from it (:func:`sections_of`) in English or Chinese."""

    flow: dict
    screening: Any
    agreement: Any
    data: Any
    n_rows: int
    n_dichotomies: int
    written: list[Path]
    units: dict
    unit_dim: Any
    codebook: Any
    overview: list[tuple[str, object]]


def policy_results(ctx: DemoContext) -> PolicyResults:
    """Build the coding project from the example corpus and compute what the sections
    report; leaves ``policy_project`` and ``policy_agreement`` in ``ctx.artefacts``."""
    from ihms.policy import coded_data
    from ihms.policy.agreement import coder_agreement
    from ihms.policy.codebook import load_codebook
    from ihms.policy.dataset import analysis_dataset
    from ihms.policy.network import units_from_text

    examples = _examples_dir()
    corpus, screening, project = _build_project(ctx, examples)
    ctx.artefacts["policy_project"] = project.path
    report = coder_agreement(project, coders=list(CODERS))
    ctx.artefacts["policy_agreement"] = report
    data = coded_data(project, scheme="paragraph")
    # the data set's variable and value labels in the report's language
    dataset = analysis_dataset(project, scheme="paragraph", lang=ctx.lang)
    written = [dataset.write(ctx.work_dir / f"policy-codes.{ext}") for ext in ("sav", "dta")]
    clauses = project.segments(scheme="clause")
    unit_dim = load_codebook("symbiosis").dimension("symbiotic_unit")
    units = units_from_text(dict(zip(clauses["id"], clauses["text"], strict=True)), unit_dim)
    results = PolicyResults(
        flow=screening.flow(),
        screening=screening,
        agreement=report,
        data=data,
        n_rows=len(dataset.frame),
        n_dichotomies=len(dataset.dichotomies),
        written=written,
        units=units,
        unit_dim=unit_dim,
        codebook=project.codebook(),
        overview=_corpus_counts(corpus, project),
    )
    project.close()
    return results


def policy_sections(ctx: DemoContext) -> list[Section]:
    """Run the policy analysis on the example corpus and return the report sections."""
    return sections_of(ctx, policy_results(ctx))


def sections_of(ctx: DemoContext, r: PolicyResults) -> list[Section]:
    """The policy step's sections, phrased in ``ctx.lang`` from its results ``r``."""
    from ihms.policy import prisma_figure
    from ihms.policy.agreement import agreement_table
    from ihms.policy.network import cooperation_network, labels_of, tiers_of
    from ihms.policy.table_specs import build_tables
    from ihms.policy.trend import time_evolution

    lang, flow, data = ctx.lang, r.flow, r.data
    tables = {t.name: t for t in build_tables(data, lang=lang)}
    evo = time_evolution(data, "orientation", lang=lang)
    # the English report names the units in English and as the texts name them (seed
    # 003's terms); the Chinese, as the texts name them
    labels = (
        {}
        if ctx.zh
        else {u: f"{en} ({u})" for u, en in labels_of(r.unit_dim, "en").items() if en != u}
    )
    net = cooperation_network(r.units, tiers=tiers_of(r.unit_dim), labels=labels)
    # the 6D names in Chinese below each English table (review of the demo, item 13);
    # the Chinese tables name them so themselves
    zh = chinese_names(r.codebook)

    def named(table):
        return table if ctx.zh else with_chinese_names(table, zh)

    corpus_s = Section(
        "policy-corpus",
        ctx.pick("Policy corpus and PRISMA screening", "政策文本语料与 PRISMA 筛选"),
        mirrors=ctx.pick(f"{YU_2024}, Figure 1", f"{YU_2024}，图1"),
    )
    corpus_s.text(
        corpus_text(flow, _screening_method(r.screening, "zh"))
        if ctx.zh
        else f"The example corpus holds {flow['identified']} records written for this project in the style of "
        "national and provincial health policies, as a researcher would collect them: plain text in UTF-8, "
        "GBK and GB18030, Word files (one numbered with Word's own list numbering), a PDF with running "
        "headers and page numbers, and web pages full of navigation debris. ihms read every file, took "
        "document numbers, dates and issuers from the text where the metadata sheet was silent, and cleaned "
        f"away headers, signatures and web debris. Screening removed {flow['duplicates']} duplicates (one "
        "by its document number, one web copy by near-identical text), excluded a policy interpretation "
        "and a news report by title and one document published after the study period, leaving "
        f"{flow['included']} documents. {_screening_method(r.screening)}"
    )
    corpus_s.figure(
        "prisma",
        prisma_figure(r.screening, lang=lang),
        caption=ctx.pick(
            "PRISMA 2020 flow of the example corpus.", "示例语料的 PRISMA 2020 流程图。"
        ),
    )
    corpus_s.table("policy_screening", r.screening.method.summary(lang=lang))
    corpus_s.table(
        "policy_corpus",
        SummaryTable(
            _corpus_overview(r.overview, lang),
            title=ctx.pick(
                "The example corpus: files read, documents included, segments coded",
                "示例语料：读取的文件、纳入的文件与编码的单元",
            ),
            lang=lang,
        ),
    )

    agree_s = Section(
        "policy-agreement",
        ctx.pick("Inter-coder agreement", "编码员间一致性"),
        mirrors=ctx.pick(
            f"{YU_2024}, Methods (mean kappa 0.746)", f"{YU_2024}，研究方法（平均 κ 0.746）"
        ),
    )
    agree_s.text(
        agreement_text(len(data.segments), r.agreement.mean_kappa)
        if ctx.zh
        else f"Two simulated coders coded the {len(data.segments)} paragraphs for policy tools and "
        "stakeholders: their codings were generated from the codebook's keywords, each coder "
        "departing from them with its own random errors (examples/policies/make_codings.py). "
        f"Their average kappa over the two dimensions is {r.agreement.mean_kappa:.3f} ({YU_2024} reports "
        "0.746 for its human coders): it shows the agreement tools at work, not how reliable a "
        "real coding would be; per category, present/absent kappas show where coders disagree "
        "most — with real coders, where the codebook's definitions need sharpening. The lead "
        "reconciled every disagreement; the tables below use the reconciled codings."
    )
    agree_s.table("policy_agreement", named(agreement_table(r.agreement, r.codebook, lang=lang)))

    one_d = Section(
        "policy-1d",
        ctx.pick(
            "Policy level, nature, tools, stakeholders, orientation",
            "政策层级、性质、工具、利益相关者与导向",
        ),
        mirrors=ctx.pick(f"{YU_2024}, Tables 1–5", cited_zh(f"{YU_2024}, Tables 1–5")),
    )
    one_d.text(
        one_d_text(r.n_rows, flow["included"])
        if ctx.zh
        else f"One-dimensional distributions in {YU_2024}'s layout: level, nature and orientation count texts — "
        f"here a text is a coded paragraph, so n is the {r.n_rows} paragraphs of the "
        f"{flow['included']} included documents, not the documents; "
        "tools and stakeholders count codings, since one paragraph often uses several tools. As in the "
        "study, environment-based tools (goals, institutions, incentives) dominate and supply-based tools "
        f"(people, money, technology) are the scarcest — the imbalance {YU_2024} asks policy makers to correct."
    )
    files = ctx.pick(", ", "、").join(f"{ctx.shown_work_dir.name}/{p.name}" for p in r.written)
    folder = Path(os.path.relpath(ctx.shown_work_dir, ctx.out_dir)).as_posix()
    one_d.text(
        dataset_text(files, folder, r.n_rows, r.n_dichotomies)
        if ctx.zh
        else f"The codes behind these tables are also written as a data set for SPSS and Stata "
        f"({files}, in the demo's work "
        f"folder: {folder}/ from this "
        "report; ihms policy dataset): "
        f"a row per paragraph ({r.n_rows}), level, nature and orientation as labelled "
        f"codes, and a labelled 0/1 variable for each of the {r.n_dichotomies} tools and stakeholders, "
        "missing where a paragraph was not coded, so a researcher can run their own tests."
    )
    for name in ("table1", "table2", "table3", "table4", "table5"):
        one_d.table(f"policy_{name}", named(tables[name].summary()))

    two_d = Section(
        "policy-2d",
        ctx.pick(
            "Tools across stakeholders, levels, nature and time",
            "政策工具与利益相关者、层级、性质和时间的交叉分布",
        ),
        mirrors=ctx.pick(f"{YU_2024}, Tables 6–12", cited_zh(f"{YU_2024}, Tables 6–12")),
    )
    two_d.text(
        TWO_D_TEXT
        if ctx.zh
        else "Two-dimensional tables with group subtotals, row or column percentages and grand totals, exactly "
        f"as {YU_2024} prints them (tools × stakeholders counts co-occurring pairs). Read across a row to see "
        "which level of government uses a tool; read down a column to see a level's mix of orientations."
    )
    for name in ("table6", "table7", "table8", "table9", "table10", "table11", "table12"):
        two_d.table(f"policy_{name}", named(tables[name].summary()))

    trend_s = Section(
        "policy-trend",
        ctx.pick("Time evolution of policy orientation", "政策导向的时间演变"),
        mirrors=ctx.pick(f"{YU_2024}, Figure 4 and Table 12", f"{YU_2024}，图4和表12"),
    )
    trend_s.text(trend_text(evo) if ctx.zh else _trend_text(evo))
    trend_s.figure(
        "policy_trend",
        evo.figure(title=ctx.pick("Policy orientation by year", "各年份的政策导向")),
        caption=ctx.pick(
            "Texts per orientation and year, with stages.", "各导向各年份的文本数及阶段。"
        ),
    )
    trend_s.table("policy_trend_counts", named(evo.summary()))

    words_s = words_section(data, zh, lang=lang)

    net_s = Section(
        "policy-network",
        ctx.pick("Cooperation network of institutions", "机构合作网络"),
        mirrors=ctx.pick(f"{VIHQMR_STUDY}, Figure 4", f"{VIHQMR_STUDY_ZH}，图4"),
    )
    net_s.text(
        NETWORK_TEXT
        if ctx.zh
        else "Institutions named together in a clause entry are linked; arrows run from the higher tier to the "
        "lower one, the direction in which staff, technology and management flow. Here the units were found "
        "by the symbiosis codebook's synonym dictionary in the clause entries (not hand-coded): primary care "
        "institutions receive from county and tertiary hospitals and from the lead hospitals of medical "
        f"alliances (牵头医院; a county or a tertiary hospital, so placed between those tiers), as {VIHQMR_STUDY} found."
    )
    net_s.figure(
        "policy_network",
        net.figure(top=20, lang=lang),
        caption=ctx.pick(
            "Symbiotic units by tier; node size = entries naming the unit.",
            "按层级排列的共生单元；节点大小为提及该单元的条款数。",
        ),
    )
    net_s.table("policy_network_edges", net.summary(lang=lang))
    return [corpus_s, agree_s, one_d, two_d, trend_s, words_s, net_s]


def _trend_text(evo) -> str:
    peaks = evo.peak_note()
    thin = ", ".join(f"{y} ({n} texts)" for y, n in evo.thin_years.items()) or "none here"
    return (
        "Texts per year and orientation. Each orientation's share of a year peaks in turn "
        f"({peaks}); the shaded stages are the years in which {YU_2024}'s three groups of orientations "
        "(disease-centred, e-health technology, health-centred) hold more than their overall share "
        f"— ihms's rule: {YU_2024} states its periods (2014–2017, 2017–2019, 2018–2021) without a "
        "rule, and none reproduces them from its Table 12. "
        f"As in `ihms policy trend`, years with fewer than {evo.min_year_n} texts are left out of the "
        f"peaks and stages, since a handful of texts can put any orientation at 100 % ({thin})."
        + (f" {evo.overlap_note()}" if evo.overlaps else "")
    )
