import pandas as pd
import pytest
from openpyxl import load_workbook

from ihms.report import Report, Section, render_html, write_report


def _report() -> Report:
    report = Report(title="T <&>")
    section = report.add(
        Section("its", "Interrupted time series", mirrors="Zhong et al. 2023, Table 3")
    )
    section.text("First paragraph.\n\nSecond paragraph.")
    section.table("coef", pd.DataFrame({"coef": [1.0, 2.0]}, index=["_t", "_cons"]), title="C")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    section.figure("series", fig, caption="A line")
    return report


def test_html_is_self_contained_and_escaped():
    html = render_html(_report())
    assert "<title>T &lt;&amp;&gt;</title>" in html
    assert "data:image/png;base64," in html
    assert "<p>Second paragraph.</p>" in html
    assert "Mirrors Zhong et al. 2023, Table 3" in html
    assert "http" not in html.split("<body>")[1].split("<footer>")[0]


def test_write_report_writes_every_table_and_figure(tmp_path):
    path = write_report(_report(), tmp_path / "demo")
    folder = tmp_path / "demo"
    assert path == folder / "report.html"
    csv = pd.read_csv(folder / "tables" / "its-coef.csv", index_col=0, encoding="utf-8-sig")
    assert csv["coef"].tolist() == [1.0, 2.0]
    assert load_workbook(folder / "tables.xlsx").sheetnames == ["its-coef"]
    assert (folder / "figures" / "its-series.png").read_bytes()[:4] == b"\x89PNG"
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]


def test_csv_floats_carry_no_binary_noise(tmp_path):
    # 0.1 + 0.2 is 0.30000000000000004 in binary floating point, and fen / 100 / 1e6
    # gives 12.985335220000001 for 1,298,533,522 fen: the CSV shows the decimals meant.
    report = Report(title="T")
    frame = pd.DataFrame({"share": [0.1 + 0.2], "million_yuan": [1_298_533_522 / 100 / 1e6]})
    report.add(Section("s", "S")).table("t", frame)
    write_report(report, tmp_path / "r")
    text = (tmp_path / "r" / "tables" / "s-t.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[1].endswith("0.3,12.98533522")


def test_failed_write_leaves_previous_report_untouched(tmp_path, monkeypatch):
    write_report(_report(), tmp_path / "demo")
    before = (tmp_path / "demo" / "report.html").read_text()

    import ihms.report.render as render

    def boom(report):
        raise RuntimeError("disk full")

    monkeypatch.setattr(render, "render_html", boom)
    with pytest.raises(RuntimeError):
        write_report(_report(), tmp_path / "demo")
    assert (tmp_path / "demo" / "report.html").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


def test_duplicate_section_ids_are_refused():
    report = Report(title="x")
    report.add(Section("a", "A"))
    with pytest.raises(ValueError, match="'a'"):
        report.add(Section("a", "again"))


def test_strong_spans_are_marked_and_the_rest_escaped():
    report = Report(title="T")
    report.add(Section("s", "S").text("**Lead <1>.** Rest & more, 2 ** 3 stays."))
    html = render_html(report)
    assert "<p><strong>Lead &lt;1&gt;.</strong> Rest &amp; more, 2 ** 3 stays.</p>" in html


def test_sheet_names_fit_excel_and_read_as_whole_words(tmp_path):
    # Excel allows 31 characters; cutting "indicators-table4-indicators_table4" there gave
    # "indicators-table4-indicators_ta" (the demo of 2026-11-22).
    report = Report(title="T")
    frame = pd.DataFrame({"x": [1]})
    report.add(Section("indicators-table4", "A")).table("indicators_table4", frame)
    report.add(Section("autocode", "B")).table("autocode_learning_curve", frame)
    report.add(Section("payment-compare", "C")).table("effect-of-saving", frame)
    report.add(Section("its", "D")).table("coef", frame).table("a[b]:c", frame)
    report.add(Section("x" * 40, "E")).table("y" * 40, frame).table("y" * 41, frame)
    write_report(report, tmp_path / "r")
    names = load_workbook(tmp_path / "r" / "tables.xlsx").sheetnames
    assert names == [
        "indicators-table4",
        "autocode-learning-curve",
        "effect-of-saving",
        "its-coef",
        "its-a-b--c",
        "x" * 31,
        "x" * 29 + "~2",
    ]
    # the CSV files keep the full names
    assert (tmp_path / "r" / "tables" / "indicators-table4-indicators_table4.csv").is_file()


def test_a_folded_table_is_closed_on_the_page_and_whole_in_the_csv(tmp_path):
    long = pd.DataFrame({"net": range(300)}, index=[f"staff:{i:03d}" for i in range(300)])
    report = Report("Folding")
    section = report.add(Section("ledger", "Ledger"))
    section.table("totals", pd.DataFrame({"net": [44850]}))
    section.table("accounts", long, title="Every account", folded=True)
    page = render_html(report)
    opened, rest = page.split("<details>", 1)
    assert "staff:000" not in opened  # the totals come first, the list is folded
    summary, inside = rest.split("</summary>", 1)
    assert "Every account: 300 row(s)" in summary
    assert 'href="tables/ledger-accounts.csv"' in summary
    assert "staff:299" in inside.split("</details>")[0]
    write_report(report, tmp_path / "out")
    csv = pd.read_csv(tmp_path / "out" / "tables" / "ledger-accounts.csv", index_col=0)
    assert len(csv) == 300


def test_every_table_links_the_csv_holding_its_rows(tmp_path):
    import re

    report = _report()
    more = report.add(Section("ledger", "Ledger"))
    more.table("accounts", pd.DataFrame({"net": [1, 2, 3]}, index=["a", "b", "c"]), folded=True)
    write_report(report, tmp_path / "r")
    folder = tmp_path / "r"
    page = (folder / "report.html").read_text(encoding="utf-8")
    # each table, shown or folded, with the CSV link next to it (after it, or in the
    # summary line of its fold)
    linked = re.findall(
        r'<table class="ihms-table">.*?</table>\s*<p class="csv">[^<]*<a href="([^"]+)"'
        r'|<summary>[^<]*<a href="([^"]+)">',
        page,
        flags=re.S,
    )
    links = [a or b for a, b in linked]
    assert links == ["tables/its-coef.csv", "tables/ledger-accounts.csv"]
    assert page.count('<table class="ihms-table">') == len(links)
    assert pd.read_csv(folder / links[0], index_col=0, encoding="utf-8-sig")["coef"].tolist() == [
        1.0,
        2.0,
    ]
    assert pd.read_csv(folder / links[1], index_col=0, encoding="utf-8-sig")["net"].tolist() == [
        1,
        2,
        3,
    ]


def test_prose_marks_are_rendered_not_shown():
    # review of the demo, 2026-11-25, finding 7: 13 backtick spans shown as written
    report = Report(title="T")
    section = report.add(Section("s", "S", mirrors=""))
    section.text("As in `ihms policy trend`, **few** texts <5.")
    section.table(
        "t",
        pd.DataFrame({"n": [1]}, index=["a"]),
        notes=("Indicators as the catalogue names them (`ihms indicators list`).",),
    )
    html = render_html(report)
    assert "<p>As in <code>ihms policy trend</code>, <strong>few</strong> texts &lt;5.</p>" in html
    assert "(<code>ihms indicators list</code>)." in html
    assert "`" not in html.split("<body>")[1]


def test_a_sub_rows_indent_survives_in_html():
    # finding 9: "  of which staff salary incentives" read as a top-level row (the
    # leading spaces collapsed in the page; the CSV and sheet keep them)
    frame = pd.DataFrame(
        {"million yuan": [10.0, 4.0]}, index=["balance", "  of which staff salary incentives"]
    )
    report = Report(title="T")
    report.add(Section("s", "S", mirrors="")).table("t", frame)
    html = render_html(report)
    assert '<td class="label">balance</td>' in html
    assert (
        '<td class="label" style="padding-left:1.6em">of which staff salary incentives</td>'
    ) in html


def test_chinese_text_is_marked_as_such():
    # finding 11: the page is lang="en"; its Chinese cells and words are marked lang="zh"
    frame = pd.DataFrame({"名称 (zh)": ["居民年住院率"], "n": [1]}, index=["hospitalization rate"])
    report = Report(title="T")
    section = report.add(Section("s", "S", mirrors=""))
    section.text("The rate (居民年住院率, 住院率) rose.")
    section.table("t", frame, notes=("财政补助: government subsidy.",))
    html = render_html(report)
    assert '<html lang="en">' in html
    assert '(<span lang="zh">居民年住院率</span>, <span lang="zh">住院率</span>) rose.' in html
    assert '<td class="label"><span lang="zh">居民年住院率</span></td>' in html
    assert '<th><span lang="zh">名称</span> (zh)</th>' in html
    assert '<span lang="zh">财政补助</span>: government subsidy.' in html
