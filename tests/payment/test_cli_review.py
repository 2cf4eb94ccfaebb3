"""``ihms payment`` after a reviewer's pass: options checked before any work is done,
nonsense refused, messages that say what to do, and tables whose rows re-add."""

from .test_cli_badinput import EX, refused, replace_line, run, tables, text

__all__ = ["tables"]  # the fixture, imported for the tests below

BOTH = ["--spending", str(EX / "spending.csv"), "--population", str(EX / "population.csv")]
COMPARE = ["compare", *BOTH, "--indicators", str(EX / "indicators.csv")]
COMPARE += ["--year", "2018", "--year", "2019"]


# ---------------------------------------------------------------- 1: --figure


def test_figure_with_an_unknown_suffix_is_refused_before_any_work(tmp_path):
    out = tmp_path / "out" / "x.txt"
    r = run(*COMPARE, "--figure", str(out))
    refused(r, "--figure", "x.txt", ".png", ".pdf", ".svg", "'.txt'")
    assert "Settlements" not in r.output  # refused before the tables were computed
    assert not out.parent.exists()


def test_figure_without_suffix_is_written_as_png_and_named_so(tmp_path):
    out = tmp_path / "out" / "x"
    r = run(*COMPARE, "--figure", str(out))
    assert r.exit_code == 0, r.output
    written = out.with_name("x.png")
    assert written.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"figure written to {written}" in text(r)


def test_figure_as_svg_and_pdf(tmp_path):
    for name, magic in (("x.svg", b"<?xml"), ("x.PDF", b"%PDF")):
        r = run(*COMPARE, "--figure", str(tmp_path / name))
        assert r.exit_code == 0, r.output
        assert (tmp_path / name).read_bytes().startswith(magic)


# ---------------------------------------------------------------- 2: nonsense refused


def test_saving_from_after_the_compared_years_is_refused():
    r = run(*COMPARE, "--saving-from", "2030")
    refused(r, "--saving-from 2030", "last compared year (2019)", "change nothing")


COUNT_ROW = "2018,DR-CH01-A,health_education_sessions,"


def test_a_negative_count_is_refused_not_scored_zero(tables):
    root, _ = tables
    body = (root / "indicators.csv").read_text("utf-8")
    start = body.index(COUNT_ROW)
    row = body[start : body.index("\n", start)]
    replace_line(root / "indicators.csv", row, COUNT_ROW + "-23")
    line = body[:start].count("\n") + 1  # the spreadsheet row: the header is row 1
    r = run("scorecard", "--indicators", str(root / "indicators.csv"), "--staff",
            str(root / "staff.csv"), "--year", "2018", *BOTH)  # fmt: skip
    refused(r, "indicators.csv", f"row {line}", "'value'", "a count ≥ 0", "'-23'")
