import io
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rich.console import Console

from ihms.summary import MISSING, SummaryTable, format_number, is_id_name


def _rich(table: SummaryTable, width: int = 80) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(table)
    return console.file.getvalue()


def test_format_number():
    assert format_number(1234567) == "1,234,567"
    assert format_number(0.5, 3) == "0.500"
    assert format_number(np.int64(12)) == "12"
    assert format_number("x") == "x"
    assert format_number(True) == "True"
    assert format_number(-0.0) == "0"
    assert format_number(float("inf")) == "inf"


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT])
def test_every_kind_of_missing_prints_as_one_em_dash(missing):
    assert format_number(missing) == MISSING == "—"


def test_large_values_print_in_plain_digits_with_separators():
    # audit: "balance before assessment (yuan) | 1.197e+06 | 202,097.3300"
    assert format_number(1_197_345.67) == "1,197,345.67"
    assert format_number(1.3e6) == "1,300,000"  # a visit count stored as float
    assert format_number(-2_210.8123, 4) == "-2,210.81"
    # plain digits would be absurd: tiny p-values and astronomic magnitudes stay scientific
    assert format_number(1e-12) == "1e-12"
    assert format_number(3.2e-7, 3) == "3.2e-07"
    assert format_number(2.5e17) == "2.5e+17"


def test_exact_decimals_keep_their_cents():
    assert format_number(Decimal("202097.33")) == "202,097.33"
    table = SummaryTable(pd.DataFrame({"yuan": [Decimal("1197000.5"), Decimal("3.25"), 7]}))
    assert table._cells()[1] == [["0", "1,197,000.50"], ["1", "3.25"], ["2", "7.00"]]


def test_columns_have_one_number_of_decimals():
    frame = pd.DataFrame(
        {
            "balance (yuan)": [1_197_345.6, 202_097.33],
            "share": [0.25, 0.125],
            "coef": [1500.25, 0.0012],
            "p": [1e-12, 0.5],
        },
        index=["regime A", "regime B"],
    )
    _, rows, _ = SummaryTable(frame)._cells()
    # every non-zero value >= 1,000 → 2 decimals; otherwise `digits` (4) decimals
    assert rows[0] == ["regime A", "1,197,345.60", "0.2500", "1,500.2500", "1e-12"]
    assert rows[1] == ["regime B", "202,097.33", "0.1250", "0.0012", "0.5000"]


def test_whole_valued_float_columns_print_as_integers_and_ints_are_not_upcast():
    # audit: "212.0000 / 31.0000" — iterating rows upcast int columns of an all-number
    # frame to float; columns are now formatted whole
    frame = pd.DataFrame(
        {"kappa": [0.746, 0.5], "segments": [212, 1_300_000], "support": [212.0, np.nan]},
        index=pd.Index(["stakeholders", "tools"], name="dimension"),
    )
    _, rows, numeric = SummaryTable(frame, digits=3)._cells()
    assert rows == [
        ["stakeholders", "0.746", "212", "212"],
        ["tools", "0.500", "1,300,000", MISSING],
    ]
    assert numeric == [False, True, True, True]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("year", True),
        ("fiscal_year", True),
        ("Fiscal Year", True),
        ("unit id", True),
        ("fold", True),
        ("seed", True),
        ("month", True),
        ("年份", True),
        ("resident-years", False),
        ("id count", False),
        ("visits", False),
    ],
)
def test_id_names(name, expected):
    assert is_id_name(name) is expected


def test_years_and_ids_print_without_separators():
    # audit: payment "effect of saving" table showed "2,017", "2,018"
    frame = pd.DataFrame(
        {"year": [2017, 2018], "batch": [1001.0, 1002.0], "n": [2017, 2018], "grid": [1234, 5]}
    )
    table = SummaryTable(frame, show_index=False, id_columns=("grid",))
    _, rows, _ = table._cells()
    assert rows == [["2017", "1001", "2,017", "1234"], ["2018", "1002", "2,018", "5"]]
    indexed = SummaryTable(frame.set_index("year"))
    assert indexed._cells()[1][0][0] == "2017"  # index labels never get separators


def test_missing_values_look_the_same_in_text_html_and_rich():
    # audit: "Grids with no consortium | 0 | <NA>"
    frame = pd.DataFrame(
        {
            "count": [0, 3],
            "of": pd.array([None, 9], dtype="Int64"),
            "share": [np.nan, 33.3],
            "when": [pd.NaT, pd.Timestamp("2019-01-01")],
            "note": [None, "ok"],
        },
        index=pd.Index(["Grids with no consortium", "Counties"], name="measure"),
    )
    table = SummaryTable(frame, digits=2)
    text, page, shown = table.to_text(), table.to_html(), _rich(table)
    for out in (text, page, shown):
        assert "<NA>" not in out and "nan" not in out.lower() and "NaT" not in out
        assert "None" not in out
    assert text.splitlines()[3].split() == ["Grids", "with", "no", "consortium", "0"] + ["—"] * 4
    assert page.count("<td>—</td>") == 2 and page.count('<td class="label">—</td>') == 2
    assert shown.count("—") == 4
    assert "2019-01-01" in text and "33.30" in text


def test_formatter_is_only_called_on_present_values():
    frame = pd.DataFrame({"p": [0.01234, None]}, dtype="Float64")
    table = SummaryTable(frame, formats={"p": "{:.3f}".format})
    assert [r[1] for r in table._cells()[1]] == ["0.012", MISSING]


def test_summary_renders_text_html_and_frame_copy():
    frame = pd.DataFrame({"coef": [1.5, -2.25], "p": [0.01, 0.5]}, index=["_t", "_cons"])
    table = SummaryTable(frame, title="Fit", notes=("a note",), formats={"p": "{:.3f}".format})
    text = table.to_text()
    assert text.splitlines()[0] == "Fit"
    assert "0.010" in text and "-2.2500" in text and "a note" in text
    html = table.to_html()
    assert "<caption>Fit</caption>" in html and "<td>0.500</td>" in html
    assert '<td class="label">_t</td>' in html
    assert table._repr_html_() == html
    copy = table.to_frame()
    copy.iloc[0, 0] = 99.0
    assert frame.iloc[0, 0] == 1.5


def test_rich_at_80_columns_never_cuts_numbers_or_ids():
    # audit: `ihms payment compare` showed every cell as "20…" at 80 columns
    long_id = "hosp_referral_upward_rate_by_consortium"
    frame = pd.DataFrame(
        {f"regime {k} balance (yuan)": [1_197_345.67 * k, 380_123.45] for k in range(1, 8)},
        index=pd.Index([long_id, "salary"], name="indicator"),
    )
    shown = _rich(SummaryTable(frame, title="Three regimes", notes=("a note",)))
    assert "…" not in shown
    assert all(len(line) <= 80 for line in shown.splitlines())
    for k in range(1, 8):
        assert format_number(1_197_345.67 * k) in shown
    blocks = shown.count("Three regimes")  # the title, then "(continued)" per block
    assert blocks > 1 and shown.count("(continued)") == blocks - 1
    assert shown.count(long_id) == blocks  # the label column leads every column block
    assert shown.count("a note") == 1


def test_rich_wraps_text_at_spaces_and_keeps_words_whole():
    words = "Institutions in a fully integrated consortium with a long category name"
    frame = pd.DataFrame({"category": [words], "n": [2_210_812]})
    shown = _rich(SummaryTable(frame, show_index=False), width=30)
    assert "…" not in shown and "2,210,812" in shown
    assert all(len(line) <= 30 for line in shown.splitlines())
    for word in words.split():
        assert word in shown


def test_rich_fits_a_table_that_fits_in_one_block():
    frame = pd.DataFrame({"a": [1.5], "b": [2]}, index=["x"])
    shown = _rich(SummaryTable(frame, title="Small"))
    assert shown.count("Small") == 1 and "1.5000" in shown and "(continued)" not in shown


@given(
    st.lists(
        st.floats(min_value=-1e14, max_value=1e14, allow_nan=False).filter(
            lambda v: v == 0 or abs(v) >= 1e-3
        ),
        min_size=1,
        max_size=8,
    )
)
@example([1.0, 34359738368.21875])  # a value whose double spacing exceeds 1e-6 (hypothesis)
def test_plain_float_columns_round_trip_and_share_decimals(values):
    cells = SummaryTable(pd.DataFrame({"x": values}), show_index=False)._cells()[1]
    texts = [row[0] for row in cells]
    decimals = {len(t.split(".")[1]) if "." in t else 0 for t in texts}
    assert len(decimals) == 1
    (places,) = decimals
    for text, value in zip(texts, values, strict=True):
        assert "e" not in text
        # half a unit of the last place shown, plus the spacing of doubles at the value
        # (34359738368.21875 shows as …8.2188, which parses 5.3e-5 away)
        assert float(text.replace(",", "")) == pytest.approx(
            value, rel=1e-15, abs=0.5 * 10**-places + 2 * math.ulp(value)
        )


def test_rich_folds_chinese_text_between_characters_without_cutting():
    name = "高血压患者规范管理率与血压控制率"
    frame = pd.DataFrame(
        {"名称": [name], "value": [1_234_567.891]},
        index=pd.Index(["hypertension_management_rate"], name="id"),
    )
    shown = _rich(SummaryTable(frame), width=50)
    assert "…" not in shown and "1,234,567.89" in shown
    assert "hypertension_management_rate" in shown
    assert all(len(line) <= 50 for line in shown.splitlines())
    # every character of the name is shown, in order, folded over lines
    folded = "".join(ch for ch in shown if "\u4e00" <= ch <= "\u9fff")
    assert folded == "名称" + name


def _coefficients() -> SummaryTable:
    """An ITS-like coefficient table: a long covariate name, wide numbers."""
    frame = pd.DataFrame(
        {
            "coef": [-448.652, 187_197.5099],
            "std_error": [188.8924, 23_701.6627],
            "t": [-2.3752, 7.8981],
            "p": [0.0226, 0.0],
            "95% CI low": [-830.723, 139_256.3719],
            "95% CI high": [-66.581, 235_138.6478],
        },
        index=pd.Index(["cost_per_outpatient_visit", "_cons"], name="term"),
    )
    return SummaryTable(
        frame,
        short_headers={"std_error": "se"},
        stack_under={"95% CI low": "coef", "95% CI high": "std_error"},
    )


def test_a_wide_console_shows_the_full_boxed_layout():
    shown = _rich(_coefficients(), width=120)
    assert "std_error" in shown and "│" in shown
    row = next(line for line in shown.splitlines() if "_cons" in line)
    for number in ["187,197.5099", "23,701.6627", "7.8981", "139,256.3719", "235,138.6478"]:
        assert number in row


@pytest.mark.parametrize("width", [80, 72])
def test_a_narrow_console_shortens_headers_then_stacks_rather_than_splitting(width):
    table = _coefficients()
    shown = _rich(table, width=width)
    lines = shown.splitlines()
    assert all(len(line) <= width for line in lines) and "…" not in shown
    assert "(continued)" not in shown and "std_error" not in shown and "se" in shown
    # the interval sits on the line under its term's coefficient and standard error
    below = lines[next(i for i, line in enumerate(lines) if "_cons" in line) + 1]
    assert "139,256.3719" in below and "235,138.6478" in below and "_cons" not in below
    for number in [
        "-448.6520",
        "188.8924",
        "-2.3752",
        "0.0226",
        "-830.7230",
        "-66.5810",
        "187,197.5099",
        "23,701.6627",
        "7.8981",
        "0.0000",
        "235,138.6478",
    ]:
        assert number in shown  # fmt: skip
    assert table.to_text().count("std_error") == 1  # text and HTML keep the full headers


def test_a_table_without_short_forms_goes_compact_before_it_splits():
    frame = pd.DataFrame(
        {f"c{k}": [123_456.7891, -98_765.4321] for k in range(6)}, index=["first", "second"]
    )
    boxed = _rich(SummaryTable(frame, title="T"), width=100)
    assert "│" in boxed
    shown = _rich(SummaryTable(frame, title="T"), width=84)
    assert "(continued)" not in shown and "│" not in shown
    assert all(len(line) <= 84 for line in shown.splitlines())
    assert shown.count("123,456.79") == 6 and shown.count("-98,765.43") == 6
    split = _rich(SummaryTable(frame, title="T"), width=60)
    assert "(continued)" in split  # still too wide: column blocks, as before


@pytest.mark.parametrize("width", [60, 80])
def test_an_indented_label_keeps_its_indent_with_its_first_word(width):
    # a category under its dimension ("  medical_insurance_payment"): the column was
    # sized to the word alone, so a narrow console folded its last two letters over
    frame = pd.DataFrame(
        {f"statistic {k}": [0.5, 0.25] for k in range(8)},
        index=pd.Index(["tools", "  medical_insurance_payment"], name="dimension / category"),
    )
    text = _rich(SummaryTable(frame, digits=3), width)
    assert "  medical_insurance_payment " in text
    assert max(len(line) for line in text.splitlines()) <= width


def test_several_columns_under_one_take_a_third_line_only_when_two_do_not_fit():
    frame = pd.DataFrame(
        {
            "n": [1200, 35],
            "agree": [91.5, 88.25],
            "type": ["Cohen", "Fleiss"],
            "kappa": [0.8123, -0.0412],
            "low": [0.7011, -0.2125],
        },
        index=pd.Index(["first unit", "second"], name="unit"),
    )
    table = SummaryTable(frame, stack_under={"low": "kappa", "type": "n", "agree": "n"})
    two = _rich(table, width=40).splitlines()  # agree keeps its column beside n
    at = next(i for i, line in enumerate(two) if "first unit" in line)
    assert "1,200" in two[at] and "91.5000" in two[at] and "0.8123" in two[at]
    assert "Cohen" in two[at + 1] and "0.7011" in two[at + 1]
    three = _rich(table, width=28).splitlines()  # agree goes under n's type
    at = next(i for i, line in enumerate(three) if "first unit" in line)
    assert "1,200" in three[at] and "91.5000" not in three[at]
    assert "Cohen" in three[at + 1] and "91.5000" in three[at + 2]
    for shown in (two, three):
        assert max(len(line) for line in shown) <= 40 and "(continued)" not in "".join(shown)
        assert all(v in "\n".join(shown) for v in ["35", "88.2500", "Fleiss", "-0.2125"])


def test_stacked_headers_stand_over_their_lines_whole():
    # a stacked header was neither padded to the rows' depth nor kept whole: rich set the
    # header row bottom-aligned, so a one-line header ("agree") stood on the second line,
    # beside the values' second line, and a narrow "95% lo" folded to "95%" / "lo"
    frame = pd.DataFrame(
        {
            "n": [1500, 35],
            "type": ["Fleiss", "Cohen"],
            "agree": ["79.9%", "88.1%"],
            "kappa": [0.732, 0.5],
            "95% lo": [0.701, 0.2],
            "alpha": [0.733, 0.51],
            "alpha lo": [0.703, 0.21],
            "P(alpha<min)": [0.0, 0.5],
            "alpha hi": [0.759, 0.8],
        },
        index=pd.Index(["first dimension", "second"], name="dimension"),
    )
    under = {"95% lo": "kappa", "alpha lo": "alpha", "alpha hi": "P(alpha<min)", "type": "n",
             "agree": "n"}  # fmt: skip
    lines = _rich(SummaryTable(frame, digits=3, stack_under=under), width=60).splitlines()
    assert "(continued)" not in "\n".join(lines) and max(map(len, lines)) <= 60
    rule = next(i for i, line in enumerate(lines) if line.startswith("───"))
    header, first = lines[rule - 2 : rule], lines[rule + 1 : rule + 3]
    assert header[0].split() == ["dimension", "n", "agree", "kappa", "alpha", "P(alpha<min)"]
    assert header[1].split("  ") and all(h in header[1] for h in ("95% lo", "alpha lo", "alpha hi"))
    stands_over = [(0, "agree", "79.9%"), (0, "kappa", "0.732"), (1, "95% lo", "0.701"),
                   (0, "P(alpha<min)", "0.000"), (1, "alpha hi", "0.759"), (1, "type", "Fleiss")]  # fmt: skip
    for k, name, value in stands_over:  # right-aligned under its own header line
        assert header[k].index(name) + len(name) == first[k].index(value) + len(value)


def test_a_long_note_under_a_narrow_table_wraps_at_the_console_width():
    """Rich drew the notes as the table's caption, wrapped to the table's width: under a
    two-column table a sentence became a tall column of two-word lines (words cut:
    'percentag' / 'es')."""
    frame = pd.DataFrame({"n": [3, 4]}, index=pd.Index(["a", "b"], name="x"))
    note = (
        "n counts the coded texts of every included document; percentages are shares of "
        "all texts, rounded half up as the study prints them."
    )  # 133 characters: two lines at 80 columns
    lines = _rich(SummaryTable(frame, title="T", notes=(note, "second note"))).splitlines()
    bottom = max(i for i, line in enumerate(lines) if "└" in line)
    assert max(len(line.rstrip()) for line in lines[: bottom + 1]) < 12  # the narrow table
    below = [line.rstrip() for line in lines[bottom + 1 :] if line.strip()]
    assert len(below) == 3 and below[2].strip() == "second note"
    assert " ".join(" ".join(below[:2]).split()) == note  # no word cut
    assert 60 < len(below[0]) <= 80
    # never wider than the console
    narrow = _rich(SummaryTable(frame, notes=(note,)), width=40).splitlines()
    assert max(len(line.rstrip()) for line in narrow) <= 40
    end = max(i for i, line in enumerate(narrow) if "└" in line)
    assert " ".join(" ".join(narrow[end + 1 :]).split()) == note


def test_row_decimals_give_each_row_its_own_format():
    # a long table of indicators: a count beside a rate; column by column the count
    # printed 250 alone and 250.00 beside a rate (walk17: '250' by institution, '145.00'
    # by county)
    frame = pd.DataFrame({"value": [250.0, 145.0, 17.826, None], "n": [250, 145, 638, 3]})
    table = SummaryTable(frame, show_index=False, row_decimals={"value": [0, 2, 2, 2]})
    _, rows, numeric = table._cells()
    assert [r[0] for r in rows] == ["250", "145.00", "17.83", "—"]
    assert numeric == [True, True]
    alone = SummaryTable(frame.iloc[:1], show_index=False, row_decimals={"value": [0]})
    assert alone._cells()[1][0][0] == "250"
    with pytest.raises(ValueError, match="row_decimals: 'value' gives 1 decimals for 4 rows"):
        SummaryTable(frame, row_decimals={"value": [0]})
