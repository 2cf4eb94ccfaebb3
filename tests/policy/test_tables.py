import dataclasses
from dataclasses import dataclass

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ihms.errors import ConfigError, InputError
from ihms.policy.codebook import load_codebook
from ihms.policy.reconcile import coded_data
from ihms.policy.table_specs import SEED000_TABLES, build_tables, load_table_specs
from ihms.policy.tables import crosstab_table, format_percent, frequency_table
from ihms.policy.tables_export import export_tables


@dataclass(frozen=True)
class Data:
    long: pd.DataFrame
    codebook: object
    source: str = "test"


def _data(rows):
    long = pd.DataFrame(rows, columns=["segment_id", "dimension", "value"])
    long["doc_id"] = long["segment_id"]  # a document per text: n counts both alike
    return Data(long, load_codebook("6d"))


@pytest.mark.parametrize(
    ("n", "total", "digits", "text"),
    [(37, 42, 2, "88.1"), (15, 30, 2, "50"), (5, 30, 2, "16.67"), (1, 8, 2, "12.5"),
     (220, 1929, 2, "11.4"), (29, 223, 2, "13"), (47, 75, 0, "63"), (58, 127, 1, "45.7"),
     (1, 400, 2, "0.25"), (1, 800, 2, "0.13")],
)  # fmt: skip
def test_format_percent_rounds_half_up_without_trailing_zeros(n, total, digits, text):
    # 1/800 = 0.125 % rounds half up to 0.13 (Excel, SPSS), not to even.
    assert format_percent(n, total, digits, trailing_zeros=False) == text


@pytest.mark.parametrize(
    ("n", "total", "digits", "text"),
    [(37, 42, 2, "88.10"), (15, 30, 2, "50.00"), (659, 1345, 2, "49.00"), (1, 8, 2, "12.50"),
     (47, 75, 0, "63"), (556, 912, 1, "61.0"), (0, 10, 1, "0.0"), (0, 0, 2, "0.00")],
)  # fmt: skip
def test_format_percent_keeps_its_decimals_by_default(n, total, digits, text):
    # seed 000 Table 1: 659/1345 = 48.996 % → 49.00; Table 8: 556/912 = 60.96 % → 61.0
    assert format_percent(n, total, digits) == text


@given(
    st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=8).filter(
        lambda v: sum(v) > 0
    )
)
def test_row_percentages_add_to_100_within_rounding(counts):
    total = sum(counts)
    shares = [float(format_percent(c, total, 2)) for c in counts]
    assert abs(sum(shares) - 100) <= 0.005 * len(counts) + 1e-9


def test_multi_label_pairs_are_counted_within_texts():
    data = _data(
        [
            ("s1", "tools", "talent_construction"), ("s1", "tools", "financial_guarantee"),
            ("s1", "stakeholders", "governments"), ("s1", "stakeholders", "physicians"),
            ("s2", "tools", "talent_construction"), ("s2", "stakeholders", "residents"),
        ]
    )  # fmt: skip
    t = crosstab_table(data, "tools", "stakeholders")
    # s1 gives 2 tools x 2 stakeholders = 4 pairs, s2 one pair: n = 5.
    assert t.counts.loc["Grand total (n=5)"].sum() == 5
    assert t.cell("Talent construction (n=3)", "Physicians, n (%)") == "1 (33.33)"
    assert t.cell("Total (n=5)", "Residents, n (%)") == "1 (20.00)"
    assert t.cell("Financial guarantee (n=2)", "Residents, n (%)") == "N/A"
    empty_demand_total = next(r for r in t.rows if r[1] == "subtotal" and r[0] == "Total (n=0)")
    assert empty_demand_total[2] == ("0 (0.00)",) * 5  # totals print zeros, not N/A


def test_frequency_tables_count_texts_or_codings():
    data = _data(
        [("s1", "level", "national"), ("s2", "level", "provincial"), ("s3", "level", "provincial"),
         ("s1", "tools", "talent_construction"), ("s1", "tools", "rational_layout"), ("s2", "tools", "price_adjustment")]
    )  # fmt: skip
    level = frequency_table(data, "level")
    assert level.header == ("Policy level", "Texts (n=3), n (%)")
    assert [r[0] for r in level.rows] == ["Provincial level", "National level"]
    assert level.cell("Provincial level", "Texts (n=3), n (%)") == "2 (66.67)"
    tools = frequency_table(data, "tools", order="codebook", lang="zh")
    assert tools.header == ("政策工具及二级分类", "编码数（n=3），频数（占比 %）")
    assert tools.rows[0] == ("供给型（n=2）", "group", ("",))
    assert tools.cell("人才建设", "编码数（n=3），频数（占比 %）") == "1 (33.33)"
    assert len(tools.rows) == 3 + 18  # every group and tool listed
    assert frequency_table(data, "tools").header[0] == "Policy tools and secondary classification"
    # the headers a study prints where they cannot follow from the data
    named = frequency_table(
        data, "tools", unit_label="Policy tools", header_n=False, row_header="Policy tool"
    )
    assert named.header == ("Policy tool", "Policy tools, n (%)")
    assert frequency_table(data, "level", unit_label="Policies").header[1] == (
        "Policies (n=3), n (%)"
    )
    cross = crosstab_table(data, "tools", "level", row_header="Policy tool")
    assert cross.header[:2] == ("Policy tool", "National level, n (%)")


def test_column_percentages_total_column_and_years():
    rows = []
    for i, (year, orient) in enumerate(
        [
            (2014, "graded_diagnosis"),
            (2015, "graded_diagnosis"),
            (2015, "healthy_china"),
            (2017, "healthy_china"),
        ]
    ):
        rows += [(f"s{i}", "year", str(year)), (f"s{i}", "orientation", orient)]
    data = _data(rows)
    t = crosstab_table(
        data,
        "orientation",
        "year",
        percent="column",
        digits=1,
        total_column=True,
        row_order="alpha",
    )
    # 2016 has no text but lies between the first and last year: a column of its own
    # (n=0, every cell N/A), as a paper's time table shows it
    assert t.header[1:] == (
        "2014 (n=1), n (%)",
        "2015 (n=2), n (%)",
        "2016 (n=0), n (%)",
        "2017 (n=1), n (%)",
        "Total, n (%)",
    )
    assert t.rows[0] == (
        "Graded diagnosis and treatment",
        "category",
        ("1 (100.0)", "1 (50.0)", "N/A", "N/A", "2 (50.0)"),
    )
    printed = crosstab_table(data, "orientation", "year", percent="column", digits=1,
                             total_column=True, row_order="alpha", trailing_zeros=False)  # fmt: skip
    assert printed.rows[0][2] == ("1 (100)", "1 (50)", "N/A", "N/A", "2 (50)")  # as seed 000
    folded = crosstab_table(data, "orientation", "year", year_floor=2015, digits="adaptive")
    assert folded.header[1:4] == ("2015 and before, n (%)", "2016, n (%)", "2017, n (%)")
    assert folded.cell("Healthy China (n=2)", "2015 and before, n (%)") == "1 (50)"


def test_bad_options():
    data = _data([("s1", "level", "national")])
    with pytest.raises(InputError, match="percent"):
        crosstab_table(data, "level", "level", percent="cell")
    with pytest.raises(InputError, match="digits"):
        frequency_table(data, "level", digits=9)
    with pytest.raises(InputError, match="unknown categories"):
        frequency_table(data, "level", order=["planet"])


def test_seed000_tables_from_the_example_project(coded_project):
    tables = build_tables(coded_data(coded_project))
    assert [t.name for t in tables] == [s.name for s in SEED000_TABLES]
    by_name = {t.name: t for t in tables}
    segments = coded_data(coded_project).segments
    n_texts, n_docs = len(segments), segments["doc_id"].nunique()
    # seed 000's "Policies" (Tables 1, 2, 5) are its texts, paragraphs of fewer documents
    # (said so: test_tables_units); it leaves n out of the headers of its multi-label
    # Tables 3 and 4 (their titles give it)
    assert (
        by_name["table1"].header[1] == f"Policy texts (n={n_texts} from {n_docs} documents), n (%)"
    )
    assert by_name["table3"].header == (
        "Policy tool and secondary classification",
        "Policy tools, n (%)",
    )
    assert by_name["table4"].header[1] == "Participation, n (%)"
    assert by_name["table11"].header[1] == "2015 and before, n (%)"
    assert by_name["table12"].header[-1] == "Total, n (%)"
    # Tables 3 and 7 count the same tool codings.
    n_tools = int(by_name["table3"].counts["n"].sum())
    assert by_name["table7"].title.endswith(f"(n={n_tools})")


def test_export_every_format(coded_project, tmp_path):
    tables = build_tables(coded_data(coded_project))
    written = export_tables(tables, tmp_path)
    book = pd.read_excel(written["xlsx"][0], sheet_name=None, header=None)
    assert list(book) == [s.name for s in SEED000_TABLES]
    assert book["table7"].iloc[0, 0].startswith("Table 7.")
    assert len(written["csv"]) == 12
    csv7 = pd.read_csv(
        tmp_path / "table7.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    pd.testing.assert_frame_equal(csv7, tables[6].to_frame())
    tex = written["latex"][0].read_text(encoding="utf-8")
    assert r"\textbf{Grand total (n=" in tex and r"n (\%)" in tex
    assert "font-weight:bold" in written["html"][0].read_text(encoding="utf-8")
    with pytest.raises(InputError, match="unknown table format"):
        export_tables(tables, tmp_path, formats=["pdf"])


def test_user_table_specs(coded_project, tmp_path):
    spec = tmp_path / "t.yaml"
    spec.write_text(
        "- name: tools_by_year\n  rows: tools\n  cols: year\n  year_floor: 2016\n  digits: adaptive\n",
        encoding="utf-8",
    )
    (table,) = build_tables(coded_data(coded_project), load_table_specs(spec))
    assert table.header[1] == "2016 and before, n (%)"
    spec.write_text(
        "- name: tools\n  rows: tools\n  unit_label: Policy tools\n  header_n: false\n"
        "  row_header: Policy tool and secondary classification\n",
        encoding="utf-8",
    )
    (table,) = build_tables(coded_data(coded_project), load_table_specs(spec))
    assert table.header == ("Policy tool and secondary classification", "Policy tools, n (%)")
    # every percentage to two decimals, or as the paper prints them
    assert all(c.endswith(")") and len(c.split(".")[-1]) == 3 for _, k, (c,) in table.rows
               if k == "category")  # fmt: skip
    spec.write_text("- {name: t, rows: tools, trailing_zeros: false}\n", encoding="utf-8")
    (printed,) = build_tables(coded_data(coded_project), load_table_specs(spec))
    assert [c.rstrip(")").split("(")[1] for _, k, (c,) in printed.rows if k == "category"] == [
        str(float(c.rstrip(")").split("(")[1])).removesuffix(".0")
        for _, k, (c,) in table.rows if k == "category"
    ]  # fmt: skip
    spec.write_text(
        "- name: a\n  rows: tools\n  cols: level\n  header_n: false\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="header_n not for a 2D table"):
        load_table_specs(spec)
    spec.write_text(
        "- name: a\n  rows: tools\n  colour: red\n- name: a\n  rows: level\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as err:
        load_table_specs(spec)
    assert "entry 1 colour" in str(err.value) and "'a' repeats" in str(err.value)


def test_tables_without_document_metadata_are_left_out_when_asked(coded_project):
    data = coded_data(coded_project)
    # as if the corpus had been imported without a metadata sheet: no level, no year
    bare = dataclasses.replace(
        data, long=data.long[~data.long["dimension"].isin(["level", "year"])]
    )
    with pytest.raises(InputError, match="table 'table1': dimension 'level' has no codings"):
        build_tables(bare)
    skipped: list[str] = []
    tables = build_tables(bare, skipped=skipped)
    built = {t.name for t in tables}
    assert {"table3", "table4"} <= built and not {"table1", "table7", "table11"} & built
    assert len(built) + len(skipped) == len(SEED000_TABLES)
    assert skipped[0].startswith("table1 (Table 1. Policy level of the coded texts) left out: ")
    assert "comes from the documents' metadata" in skipped[0]


def test_the_spreadsheet_holds_counts_and_shares_as_numbers(tmp_path):
    """tables.xlsx held ``1 (33.33)`` as text only: nothing could be summed or charted.
    Each ``n (%)`` column is now an ``n`` and a ``%`` column of numbers, the share in a
    percent format with the table's two decimals for every cell (``20.00%`` where the
    printed table, as seed 000, says ``1 (20)``). Shares by hand: s1 gives 2 tools x 2
    stakeholders = 4 pairs, s2 one (talent construction x residents), so talent
    construction's row holds 3 pairs, one with physicians; 1 of the 5 pairs is residents."""
    from openpyxl import load_workbook

    data = _data(
        [
            ("s1", "tools", "talent_construction"), ("s1", "tools", "financial_guarantee"),
            ("s1", "stakeholders", "governments"), ("s1", "stakeholders", "physicians"),
            ("s2", "tools", "talent_construction"), ("s2", "stakeholders", "residents"),
            ("s1", "level", "national"), ("s2", "level", "provincial"),
        ]
    )  # fmt: skip
    cross = crosstab_table(data, "tools", "stakeholders", name="cross")
    level = frequency_table(data, "level", name="level")
    path = export_tables([cross, level], tmp_path, formats=["xlsx"])["xlsx"][0]
    book = load_workbook(path)
    sheet = book["cross"]
    head = [c.value for c in sheet[2]]
    assert head[1:3] == ["Governments, n", "Governments, %"]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=3) if r[0].value}
    talent = rows["Talent construction (n=3)"]
    physicians = talent[head.index("Physicians, %")]
    assert talent[head.index("Physicians, n")].value == 1
    assert physicians.value == pytest.approx(1 / 3, rel=1e-12)
    assert physicians.number_format == "0.00%"
    residents = rows["Total (n=5)"][head.index("Residents, %")]
    assert residents.value == pytest.approx(1 / 5, rel=1e-12) and residents.number_format == "0.00%"
    assert cross.cell("Total (n=5)", "Residents, n (%)") == "1 (20.00)"  # the sheet's decimals
    shares = [r[2].value for r in book["level"].iter_rows(min_row=3) if r[2].value is not None]
    assert sorted(shares) == pytest.approx([1 / 2, 1 / 2], rel=1e-12)
    assert (
        book["level"]["B2"].value == "Texts (n=2), n"
        and book["level"]["C2"].value == "Texts (n=2), %"
    )


def test_a_key_given_twice_in_a_table_spec_is_refused_with_both_lines(tmp_path):
    # Walk 17: YAML keeps the last of two keys silently; a spec whose 'rows' was given
    # twice would table the second dimension without a word
    spec = tmp_path / "specs.yaml"
    spec.write_text("- name: t1\n  rows: tools\n  rows: stakeholders\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_table_specs(spec)
    assert "specs.yaml line 3" in str(err.value)
    assert "key 'rows' is given twice (first at line 2)" in str(err.value)
