"""Which tables to build: Yu et al. 2024's twelve, a default set for any codebook, or a
user's own list in YAML.

A spec names a table, its dimension(s) and the layout options of
:func:`~ihms.policy.tables.frequency_table` / :func:`~ihms.policy.tables.crosstab_table`.
A YAML spec file is a list of such entries::

    - name: tools_by_year
      rows: tools
      cols: year
      percent: row
      digits: adaptive
      year_floor: 2015
    - name: coverage          # entries coded per dimension (the VI-HQMR policy study)
      rows: coverage
    - name: top_interfaces    # the 20 most frequent answers (the VI-HQMR policy study, Table 1)
      rows: symbiotic_interface
      order: count
      top: 20
    - name: documents_by_year # policy documents, not texts, by year (the VI-HQMR policy study)
      rows: year
      cols: level
      percent: column
      count: documents
    - name: tools             # headers as a study prints them (Yu et al. 2024, Table 3)
      rows: tools
      unit_label: Policy tools  # what n counts (default: Texts, Codings, Documents)
      header_n: false           # no "(n=…)" in the count column's header
      row_header: Policy tool and secondary classification
      trailing_zeros: false     # 49 rather than 49.00, as the paper prints it

Percentages keep each table's decimals in every cell by default, so a column reads
alike; ``build_tables(..., as_printed=True)`` (``ihms policy tables --as-printed``) prints
them as Yu et al. 2024 does: trailing zeros dropped, and its Tables 9 and 11 with decimals by
the row's n (``digits: adaptive``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ihms._decode import read_text
from ihms._words import said
from ihms.errors import ConfigError, IhmsWarning, InputError
from ihms.policy._agreement_words import said_in

__all__ = [
    "SEED000_TABLES",
    "TableSpec",
    "build_tables",
    "default_specs",
    "load_table_specs",
    "seed000_tables",
]

#: ``rows`` of the spec of :func:`~ihms.policy.coverage.coverage_table`
COVERAGE = "coverage"
# Seed 000's "Provincial and municipal level" (Tables 7, 8): its provincial and municipal
# texts (659 + 253 = 912, Table 1). A county document is no provincial or municipal
# one: it gets a column of its own, after the seed's, when the corpus has any.
_PROV_MUNI = {"Provincial and municipal level": ["provincial", "municipal"]}


@dataclass(frozen=True)
class TableSpec:
    """One table: ``rows`` alone gives a 1D table, ``rows`` and ``cols`` a 2D one."""

    name: str
    rows: str
    cols: str | None = None
    title: str = ""
    options: dict[str, Any] = field(default_factory=dict)


_TOOLS = "Policy tool and secondary classification"  # the header seed 000 prints
# Seed 000 orders the orientations of Tables 8, 10 and 12 as their Chinese names sort in
# pinyin (分级诊疗, 健康社区, 健康中国, 医联体, 智慧医疗): healthy community before
# Healthy China, which no English or code-point order gives.
_ORIENTATIONS = ["graded_diagnosis", "healthy_community", "healthy_china",
                 "medical_association", "smart_health_care"]  # fmt: skip

#: Seed 000's Tables 1–12 with the layouts and headers the study prints (order of rows
#: and columns, Shanghai apart from the other provinces and cities, decimals,
#: total rows/columns; Tables 3 and 4 without n in the header). Tables 1, 2 and 5 count
#: texts, as the paper does (its 1,345 paragraphs of 152 documents, Methods), under
#: "Policy texts (n=… from … documents)" where the paper prints "Policies (n=1345)".
#: Tables 9 and 11 take two decimals as the other row-percentage tables do; the paper's
#: own decimals by row n are :func:`seed000_tables`'s ``as_printed``.
SEED000_TABLES: tuple[TableSpec, ...] = (
    TableSpec("table1", "level", title="Table 1. Policy level of the coded texts",
              options={"order": "count", "unit_label": "Policy texts"}),
    TableSpec("table2", "nature", title="Table 2. Policy nature of the coded texts",
              options={"order": "count", "unit_label": "Policy texts"}),
    TableSpec("table3", "tools", title="Table 3. Policy tools",
              options={"order": "codebook", "unit_label": "Policy tools", "header_n": False,
                       "row_header": _TOOLS}),
    TableSpec("table4", "stakeholders", title="Table 4. Stakeholders",
              options={"order": "count", "unit_label": "Participation", "header_n": False}),
    TableSpec("table5", "orientation", title="Table 5. Policy orientation of the coded texts",
              options={"order": "count", "unit_label": "Policy texts"}),
    TableSpec("table6", "tools", "stakeholders", "Table 6. Policy tools by stakeholders",
              {"row_header": _TOOLS}),
    TableSpec(
        "table7", "tools", "level", "Table 7. Policy tools by policy level",
        {"merge_cols": _PROV_MUNI, "col_order": ["national", "Provincial and municipal level", "shanghai"],
         "row_header": _TOOLS},
    ),
    TableSpec(
        "table8", "orientation", "level", "Table 8. Policy orientation by policy level",
        {"percent": "column", "digits": 1, "row_order": _ORIENTATIONS, "merge_cols": _PROV_MUNI,
         "col_order": ["national", "shanghai", "Provincial and municipal level"]},
    ),
    TableSpec("table9", "tools", "nature", "Table 9. Policy tools by policy nature",
              {"row_header": _TOOLS}),
    TableSpec(
        "table10", "orientation", "nature", "Table 10. Policy orientation by policy nature",
        {"percent": "column", "digits": 1, "row_order": _ORIENTATIONS},
    ),
    TableSpec(
        "table11", "tools", "year", "Table 11. Policy tools by release time",
        {"year_floor": 2015, "row_header": _TOOLS},
    ),
    TableSpec(
        "table12", "orientation", "year", "Table 12. Policy orientation by release time",
        {"percent": "column", "digits": 1, "row_order": _ORIENTATIONS, "total_column": True},
    ),
)  # fmt: skip


#: What seed 000 prints differently from ihms's default style, table by table.
_PRINTED = {"table9": {"digits": "adaptive"}, "table11": {"digits": "adaptive"}}


def _printed(spec: TableSpec, extra: dict | None = None) -> TableSpec:
    """``spec`` printing as the paper: trailing zeros dropped unless it says otherwise."""
    options = {"trailing_zeros": False, **spec.options, **(extra or {})}
    return TableSpec(spec.name, spec.rows, spec.cols, spec.title, options)


def seed000_tables(*, as_printed: bool = False) -> list[TableSpec]:
    """Yu et al. 2024's twelve tables: :data:`SEED000_TABLES`, or with ``as_printed`` each cell
    as the paper prints it (trailing zeros dropped: ``659 (49)`` above ``275 (20.45)``;
    Tables 9 and 11 with 0, 1 or 2 decimals as the row's n is under 100, 1,000 or more)."""
    if not as_printed:
        return list(SEED000_TABLES)
    return [_printed(s, _PRINTED.get(s.name)) for s in SEED000_TABLES]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    rows: str
    cols: str | None = None
    title: str = ""
    percent: Literal["row", "column"] | None = None
    digits: int | Literal["adaptive"] | None = None
    order: str | list[str] | None = None
    row_order: str | list[str] | None = None
    col_order: str | list[str] | None = None
    merge_rows: dict[str, list[str]] | None = None
    merge_cols: dict[str, list[str]] | None = None
    merge: dict[str, list[str]] | None = None
    subtotals: bool | None = None
    grand_total: bool | None = None
    total_column: bool | None = None
    year_floor: int | None = None
    year_ceiling: int | None = None
    show_empty: bool | None = None
    count: Literal["texts", "documents"] | None = None
    top: int | None = None
    unit_label: str | None = None
    header_n: bool | None = None
    row_header: str | None = None
    trailing_zeros: bool | None = None


_OPTIONS_1D = frozenset(
    {
        "order",
        "digits",
        "merge",
        "show_empty",
        "count",
        "top",
        "unit_label",
        "header_n",
        "row_header",
        "trailing_zeros",
    }
)
_OPTIONS_2D = frozenset(
    {"percent", "digits", "row_order", "col_order", "merge_rows", "merge_cols", "subtotals",
     "grand_total", "total_column", "year_floor", "year_ceiling", "count", "row_header",
     "trailing_zeros", "show_empty"}
)  # fmt: skip


def load_table_specs(path: str | Path) -> list[TableSpec]:
    """Read a YAML list of table specs (see the module docstring).

    Raises
    ------
    ConfigError
        Invalid YAML, unknown options, repeated names — with the entry's position.
    """
    path = Path(path)
    from ihms.policy._yaml import load_yaml

    try:
        text = read_text(path, name=f"table specs {path}", error=ConfigError)
    except OSError as exc:
        raise ConfigError(f"table specs {path}: {exc}") from None
    raw = load_yaml(text, f"table specs {path}", name=path.name)
    if not isinstance(raw, list):
        raise ConfigError(
            f"table specs {path}: expected a list of tables, got {type(raw).__name__}"
        )
    specs, problems = [], []
    for i, entry in enumerate(raw):
        try:
            spec = _Spec.model_validate(entry)
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(f"entry {i + 1} {'.'.join(map(str, err['loc']))}: {err['msg']}")
            continue
        options = spec.model_dump(exclude={"name", "rows", "cols", "title"}, exclude_none=True)
        kind, allowed = ("2D", _OPTIONS_2D) if spec.cols else ("1D", _OPTIONS_1D)
        wrong = sorted(set(options) - allowed)
        if wrong and spec.rows != COVERAGE:
            problems.append(
                f"entry {i + 1} ({spec.name}): {', '.join(wrong)} not for a {kind} table; "
                f"{kind} options: {', '.join(sorted(allowed))}"
            )
            continue
        specs.append(TableSpec(spec.name, spec.rows, spec.cols, spec.title, options))
    names = [str(e.get("name")) for e in raw if isinstance(e, dict) and e.get("name")]
    problems += [
        f"table name {n!r} repeats" for n in sorted({n for n in names if names.count(n) > 1})
    ]
    if problems:
        raise ConfigError(f"table specs {path} are invalid:\n  " + "\n  ".join(problems))
    return specs


def _one_d_options(dim) -> dict[str, Any]:
    """A default 1D table's options: a coded closed dimension lists its unused
    categories (a finding: seed 003's 0 social environments); a metadata one counts
    documents and lists only the levels the corpus has (a county level without county
    documents is the corpus's scope, not a finding)."""
    if dim.source == "metadata":
        return {"count": "documents"}
    return {"show_empty": dim.kind == "closed"}


def default_specs(codebook) -> list[TableSpec]:
    """1D tables of every dimension (a closed coded one lists its unused categories too,
    as the VI-HQMR policy study reports 0 social environments; a metadata one counts
    documents); 2D tables of every coded dimension against every metadata dimension and
    of each pair of single-label coded dimensions (the VI-HQMR policy study's behaviour
    by organisation degree); with open dimensions, the entries coded per dimension
    (:func:`~ihms.policy.coverage.coverage_table`, spec name ``coverage``); for the 6D
    codebook, Yu et al. 2024's twelve tables."""
    if {d.key for d in codebook.dimensions} >= {
        "level",
        "nature",
        "year",
        "orientation",
        "tools",
        "stakeholders",
    }:
        return list(SEED000_TABLES)
    specs = []
    if any(d.kind == "open" for d in codebook.coded):
        specs.append(TableSpec(COVERAGE, COVERAGE, title="Entries coded per dimension"))
    # a document's property (its level) counts each document once; a coded one, texts
    specs += [
        TableSpec(d.key, d.key, options={"order": "count", **_one_d_options(d)})
        for d in codebook.dimensions
        if d.kind != "year"
    ]  # fmt: skip
    # seed 003 §3.1: the policy documents by year (and level), every year first to last
    years = [d for d in codebook.derived if d.kind == "year"]
    levels = [d for d in codebook.derived if d.key == "level"]
    if years and levels:
        specs.append(
            TableSpec(
                "documents_by_year", years[0].key, levels[0].key,
                title="Policy documents by year and level",
                options={"percent": "column", "digits": 1, "total_column": True,
                         "count": "documents", "grand_total": True},
            )
        )  # fmt: skip
    single = [d for d in codebook.coded if d.kind == "closed" and not d.multi]
    for i, rows in enumerate(single):
        for cols in single[i + 1 :]:
            specs.append(TableSpec(f"{rows.key}_by_{cols.key}", rows.key, cols.key))
    for coded in codebook.coded:
        for meta in codebook.derived:
            opts = {"percent": "row"} if coded.groups else {"percent": "column", "digits": 1}
            specs.append(TableSpec(f"{coded.key}_by_{meta.key}", coded.key, meta.key, options=opts))
    return specs


def _no_codings(dim, data, lang: str) -> str:
    """Why a table of the dimension ``dim`` is not built from ``data``, in ``lang``."""
    why = said(lang, "no codings", key=dim.key, source=data.source)
    if dim.source == "metadata":
        why += said(lang, "from metadata", zh=dim.zh, en=dim.en)
    return why


def build_tables(
    data,
    specs: list[TableSpec] | None = None,
    *,
    lang: str = "en",
    skipped: list[str] | None = None,
    as_printed: bool = False,
) -> list:
    """Build every table of ``specs`` (default: :func:`default_specs`) from
    :class:`~ihms.policy.reconcile.CodedData`; a grouped open dimension is tabled by its
    answers under their groups (:func:`~ihms.policy.answer_views.answer_level`; pass
    :func:`~ihms.policy.answer_views.group_level`'s view for the groups alone).

    A table whose dimension has no codings raises :class:`~ihms.errors.InputError`
    naming the table; given a list as ``skipped``, the table is left out instead and a
    line saying why is appended to the list (a corpus imported without a metadata
    sheet has no policy level or year, yet its coded dimensions can still be tabled).

    Answers still unresolved (coders differ, no decision: ``data.unresolved``) are left
    out: each table of a coded dimension says how many in its notes, and an
    :class:`~ihms.errors.IhmsWarning` says so once.

    ``as_printed`` prints percentages as Yu et al. 2024 does (trailing zeros dropped, and for
    the default 6D tables its decimals by row n: :func:`seed000_tables`) where a spec
    does not say ``trailing_zeros`` itself.
    """
    from ihms.policy.answer_views import answer_level
    from ihms.policy.coverage import coverage_table
    from ihms.policy.tables import crosstab_table, frequency_table

    # a grouped open dimension (seed 003's environment) is tabled by its answers under
    # their groups, as the CLI's default --level answer; a view already taken stays
    data = answer_level(data)
    specs = default_specs(data.codebook) if specs is None else specs
    if as_printed:
        printed = {s.name: s for s in seed000_tables(as_printed=True)}
        specs = [printed[s.name] if s in SEED000_TABLES else _printed(s) for s in specs]
    present = set(data.long["dimension"])
    if getattr(data, "unresolved", 0):
        n = f"{data.unresolved:,}"
        warnings.warn(
            IhmsWarning(
                f"{said('en', 'unresolved left out', n=n)[:-1]} of the "
                "tables of coded dimensions (each table's notes say so); decide them first "
                "(ihms.policy.reconcile, `ihms policy reconcile`) to count them",
                zh=f"{said('zh', 'unresolved left out', n=n)[:-1]}编码维度的各表"
                "（各表的注释中已说明）；请先裁决（ihms.policy.reconcile，"
                "`ihms policy reconcile`）再计入",
            ),
            stacklevel=2,
        )
    out = []
    for spec in specs:
        if spec.rows == COVERAGE:
            zeros = spec.options.get("trailing_zeros", True)
            out.append(coverage_table(data, name=spec.name, title=spec.title, lang=lang,
                                      trailing_zeros=zeros))  # fmt: skip
            continue
        missing = [
            data.codebook.dimension(dim)
            for dim in (spec.rows, spec.cols)
            if dim is not None and data.codebook.dimension(dim).key not in present
        ]
        if missing:
            if skipped is None:
                raise InputError(f"table {spec.name!r}: {_no_codings(missing[0], data, 'en')}")
            title = said_in(lang, spec.title) if spec.title else spec.name
            why = _no_codings(missing[0], data, lang)
            skipped.append(said(lang, "table left out", name=spec.name, title=title, why=why))
            continue
        opts = dict(spec.options)
        if spec.cols is None:
            out.append(
                frequency_table(
                    data, spec.rows, name=spec.name, title=spec.title, lang=lang, **opts
                )
            )
        else:
            out.append(
                crosstab_table(
                    data, spec.rows, spec.cols, name=spec.name, title=spec.title, lang=lang, **opts
                )
            )
    return out
