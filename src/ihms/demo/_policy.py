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
from pathlib import Path

import pandas as pd

from ihms.demo._policy_glossary import chinese_names, with_chinese_names
from ihms.demo._policy_words import words_section
from ihms.demo._run import DemoContext
from ihms.report import Section
from ihms.sources import VIHQMR_STUDY, YU_2024

__all__ = ["policy_sections"]

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


def _screening_method(screening) -> str:
    """How the records were screened, as PRISMA 2020 item 8 asks a methods section."""
    title, full = screening.method.stages
    settled = sum(n for a in (title, full) for _, n in a.settled)
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


def _corpus_overview(corpus, project) -> pd.DataFrame:
    docs = project.documents()
    included = docs[docs["status"] == "included"]
    frame = corpus.to_frame().set_index("id")
    rows = [
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
    return pd.DataFrame(rows, columns=["corpus", "value"]).set_index("corpus").astype(str)


def policy_sections(ctx: DemoContext) -> list[Section]:
    """Run the policy analysis on the example corpus and return the report sections."""
    from ihms.policy import coded_data, prisma_figure
    from ihms.policy.agreement import agreement_table, coder_agreement
    from ihms.policy.codebook import load_codebook
    from ihms.policy.dataset import analysis_dataset
    from ihms.policy.network import cooperation_network, labels_of, tiers_of, units_from_text
    from ihms.policy.table_specs import build_tables
    from ihms.policy.trend import time_evolution

    examples = _examples_dir()
    corpus, screening, project = _build_project(ctx, examples)
    ctx.artefacts["policy_project"] = project.path
    flow = screening.flow()
    report = coder_agreement(project, coders=list(CODERS))
    ctx.artefacts["policy_agreement"] = report
    data = coded_data(project, scheme="paragraph")
    tables = {t.name: t for t in build_tables(data)}
    dataset = analysis_dataset(project, scheme="paragraph")
    written = [dataset.write(ctx.work_dir / f"policy-codes.{ext}") for ext in ("sav", "dta")]
    evo = time_evolution(data, "orientation")
    clauses = project.segments(scheme="clause")
    unit_dim = load_codebook("symbiosis").dimension("symbiotic_unit")
    units = units_from_text(dict(zip(clauses["id"], clauses["text"], strict=True)), unit_dim)
    # the report is in English, the units as the texts name them: both (seed 003's terms)
    labels = {u: f"{en} ({u})" for u, en in labels_of(unit_dim, "en").items() if en != u}
    net = cooperation_network(units, tiers=tiers_of(unit_dim), labels=labels)
    codebook = project.codebook()
    # the 6D names in Chinese below each English table (review of the demo, item 13)
    zh = chinese_names(codebook)
    overview = _corpus_overview(corpus, project)
    project.close()

    corpus_s = Section(
        "policy-corpus", "Policy corpus and PRISMA screening", mirrors=f"{YU_2024}, Figure 1"
    )
    corpus_s.text(
        f"The example corpus holds {flow['identified']} records written for this project in the style of "
        "national and provincial health policies, as a researcher would collect them: plain text in UTF-8, "
        "GBK and GB18030, Word files (one numbered with Word's own list numbering), a PDF with running "
        "headers and page numbers, and web pages full of navigation debris. ihms read every file, took "
        "document numbers, dates and issuers from the text where the metadata sheet was silent, and cleaned "
        f"away headers, signatures and web debris. Screening removed {flow['duplicates']} duplicates (one "
        "by its document number, one web copy by near-identical text), excluded a policy interpretation "
        "and a news report by title and one document published after the study period, leaving "
        f"{flow['included']} documents. {_screening_method(screening)}"
    )
    corpus_s.figure(
        "prisma", prisma_figure(screening), caption="PRISMA 2020 flow of the example corpus."
    )
    corpus_s.table("policy_screening", screening.method.summary())
    corpus_s.table(
        "policy_corpus",
        overview,
        title="The example corpus: files read, documents included, segments coded",
    )

    agree_s = Section(
        "policy-agreement",
        "Inter-coder agreement",
        mirrors=f"{YU_2024}, Methods (mean kappa 0.746)",
    )
    agree_s.text(
        f"Two simulated coders coded the {len(data.segments)} paragraphs for policy tools and "
        "stakeholders: their codings were generated from the codebook's keywords, each coder "
        "departing from them with its own random errors (examples/policies/make_codings.py). "
        f"Their average kappa over the two dimensions is {report.mean_kappa:.3f} ({YU_2024} reports "
        "0.746 for its human coders): it shows the agreement tools at work, not how reliable a "
        "real coding would be; per category, present/absent kappas show where coders disagree "
        "most — with real coders, where the codebook's definitions need sharpening. The lead "
        "reconciled every disagreement; the tables below use the reconciled codings."
    )
    agree_s.table("policy_agreement", with_chinese_names(agreement_table(report, codebook), zh))

    one_d = Section(
        "policy-1d",
        "Policy level, nature, tools, stakeholders, orientation",
        mirrors=f"{YU_2024}, Tables 1–5",
    )
    one_d.text(
        f"One-dimensional distributions in {YU_2024}'s layout: level, nature and orientation count texts — "
        f"here a text is a coded paragraph, so n is the {len(dataset.frame)} paragraphs of the "
        f"{flow['included']} included documents, not the documents; "
        "tools and stakeholders count codings, since one paragraph often uses several tools. As in the "
        "study, environment-based tools (goals, institutions, incentives) dominate and supply-based tools "
        f"(people, money, technology) are the scarcest — the imbalance {YU_2024} asks policy makers to correct."
    )
    one_d.text(
        f"The codes behind these tables are also written as a data set for SPSS and Stata "
        f"({', '.join(f'{ctx.shown_work_dir.name}/{p.name}' for p in written)}, in the demo's work "
        f"folder: {Path(os.path.relpath(ctx.shown_work_dir, ctx.out_dir)).as_posix()}/ from this "
        "report; ihms policy dataset): "
        f"a row per paragraph ({len(dataset.frame)}), level, nature and orientation as labelled "
        f"codes, and a labelled 0/1 variable for each of the {len(dataset.dichotomies)} tools and stakeholders, "
        "missing where a paragraph was not coded, so a researcher can run their own tests."
    )
    for name in ("table1", "table2", "table3", "table4", "table5"):
        one_d.table(f"policy_{name}", with_chinese_names(tables[name].summary(), zh))

    two_d = Section(
        "policy-2d",
        "Tools across stakeholders, levels, nature and time",
        mirrors=f"{YU_2024}, Tables 6–12",
    )
    two_d.text(
        "Two-dimensional tables with group subtotals, row or column percentages and grand totals, exactly "
        f"as {YU_2024} prints them (tools × stakeholders counts co-occurring pairs). Read across a row to see "
        "which level of government uses a tool; read down a column to see a level's mix of orientations."
    )
    for name in ("table6", "table7", "table8", "table9", "table10", "table11", "table12"):
        two_d.table(f"policy_{name}", with_chinese_names(tables[name].summary(), zh))

    trend_s = Section(
        "policy-trend",
        "Time evolution of policy orientation",
        mirrors=f"{YU_2024}, Figure 4 and Table 12",
    )
    peaks = evo.peak_note()
    thin = ", ".join(f"{y} ({n} texts)" for y, n in evo.thin_years.items()) or "none here"
    trend_s.text(
        "Texts per year and orientation. Each orientation's share of a year peaks in turn "
        f"({peaks}); the shaded stages are the years in which {YU_2024}'s three groups of orientations "
        "(disease-centred, e-health technology, health-centred) hold more than their overall share "
        f"— ihms's rule: {YU_2024} states its periods (2014–2017, 2017–2019, 2018–2021) without a "
        "rule, and none reproduces them from its Table 12. "
        f"As in `ihms policy trend`, years with fewer than {evo.min_year_n} texts are left out of the "
        f"peaks and stages, since a handful of texts can put any orientation at 100 % ({thin})."
        + (f" {evo.overlap_note()}" if evo.overlaps else "")
    )
    trend_s.figure(
        "policy_trend",
        evo.figure(title="Policy orientation by year"),
        caption="Texts per orientation and year, with stages.",
    )
    trend_s.table("policy_trend_counts", with_chinese_names(evo.summary(), zh))

    words_s = words_section(data, zh)

    net_s = Section(
        "policy-network", "Cooperation network of institutions", mirrors=f"{VIHQMR_STUDY}, Figure 4"
    )
    net_s.text(
        "Institutions named together in a clause entry are linked; arrows run from the higher tier to the "
        "lower one, the direction in which staff, technology and management flow. Here the units were found "
        "by the symbiosis codebook's synonym dictionary in the clause entries (not hand-coded): primary care "
        "institutions receive from county and tertiary hospitals and from the lead hospitals of medical "
        f"alliances (牵头医院; a county or a tertiary hospital, so placed between those tiers), as {VIHQMR_STUDY} found."
    )
    net_s.figure(
        "policy_network",
        net.figure(top=20),
        caption="Symbiotic units by tier; node size = entries naming the unit.",
    )
    net_s.table("policy_network_edges", net.summary())
    return [corpus_s, agree_s, one_d, two_d, trend_s, words_s, net_s]
