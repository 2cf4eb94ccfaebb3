"""``ihms payment`` after a reviewer's pass: options checked before any work is done,
nonsense refused, messages that say what to do, and tables whose rows re-add."""

import pytest

from .test_cli_badinput import EX, RATE_ROW, refused, replace_line, run, tables, text

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


def test_the_figure_is_drawn_in_the_language_of_the_tables(tmp_path, monkeypatch):
    # --lang zh printed the tables in Chinese but drew the figure in English
    from ihms.payment.compare import ComparisonResult

    drawn, figure = [], ComparisonResult.figure

    def spy(self, *args, **kwargs):
        drawn.append(kwargs.get("lang", "en"))
        return figure(self, *args, **kwargs)

    monkeypatch.setattr(ComparisonResult, "figure", spy)
    for lang in ("zh", "en"):
        r = run(*COMPARE, "--figure", str(tmp_path / f"{lang}.png"), "--lang", lang)
        assert r.exit_code == 0, r.output
    assert drawn == ["zh", "en"]


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


# ---------------------------------------------------------------- 3: messages that help


def test_a_header_only_indicator_file_is_named_as_empty(tmp_path):
    empty = tmp_path / "indicators.csv"
    empty.write_text("year,subject,indicator,value\n", "utf-8")
    r = run("settle", *BOTH, "--indicators", str(empty), "--year", "2018")
    refused(r, "--indicators", "indicators.csv", "has no rows (only a header)")


def test_an_unknown_indicator_names_file_row_and_the_nearest_id(tables):
    root, args = tables
    replace_line(root / "indicators.csv", RATE_ROW, RATE_ROW.replace("control", "contrl"))
    r = run("settle", *args, "--year", "2018")
    refused(r, "indicators.csv row 41", "'indicator'", "unknown indicator "
            "'hypertension_contrl_rate'", "did you mean 'hypertension_control_rate'")  # fmt: skip
    r = run("scorecard", "--indicators", str(root / "indicators.csv"), "--year", "2018")
    refused(r, "indicators.csv row 41", "did you mean 'hypertension_control_rate'")


def test_a_management_rate_the_card_scored_before_names_the_control_rate(tables):
    # sanming's director card scores the control rates Zhong et al. 2023 name since
    # 2026-11-25; a table written for the card before gives the management rate, another
    # measure, which is not read as the control rate ("health_management_rate", the
    # nearest id by spelling, would mislead)
    root, args = tables
    old = RATE_ROW.replace("control_rate,0.718", "management_rate,0.784")
    replace_line(root / "indicators.csv", RATE_ROW, old)
    r = run("settle", *args, "--year", "2018")
    refused(r, "indicators.csv row 41", "unknown indicator 'hypertension_management_rate'",
            "the scorecard scores 'hypertension_control_rate' in its place (another "
            "measure, not read as it): give that")  # fmt: skip
    assert "did you mean" not in text(r)


# ---------------------------------------------------------------- 4: rows that re-multiply


@pytest.mark.usefixtures("former_sanming_rules")
def test_salary_factor_is_shown_so_the_row_re_multiplies():
    r = run("distribute", *BOTH, "--indicators", str(EX / "indicators.csv"), "--staff",
            str(EX / "staff.csv"), "--year", "2019")  # fmt: skip
    assert r.exit_code == 0, r.output
    rows = [ln for ln in r.output.splitlines() if "D-CH02 " in ln]
    # examples/payment/staff.csv: D-CH02's base salary 30,000,000 fen = 300,000.00 yuan;
    # its 2019 card (examples/payment/indicators.csv): fund balance at target 0.4,
    # hypertension control 69.3 % on 50..75 % 0.772 × 0.2, diabetes control 74.0 % 0.96 ×
    # 0.1, primary share 73.9 % at target 0.3 -> 0.9504; factor 0.6 + 0.6 × 0.9504 =
    # 1.17024; 300,000.00 × 1.17024 = 351,072.00 (the 3-decimal 1.170 would give 351,000.00)
    assert "1.17024" in rows[0] and "1.170 " not in rows[0]
    # (a narrow console puts the money columns in a second block of the same rows)
    assert any("300,000.00" in r for r in rows) and any("351,072.00" in r for r in rows)


def _total_fen(year: int) -> int:
    """examples/payment/spending.csv: insurance paid in ``year``, every setting (Deqing
    charges the total cost of care, outside the county and private hospitals included)."""
    lines = (EX / "spending.csv").read_text("utf-8").splitlines()[1:]
    return sum(int(ln.split(",")[3]) for ln in lines if ln.startswith(f"{year},"))


def test_shared_savings_summary_shows_benchmark_savings_and_the_msr():
    r = run("settle", "--rules", "deqing-shared-savings", *BOTH, "--year", "2019")
    assert r.exit_code == 0, r.output
    out = text(r)
    # Hand arithmetic (rules deqing-shared-savings: benchmark = last year's per-capita total
    # cost × 1.05, rounded half up; MSR 2% above 60,000 people); insured residents from
    # examples/payment/population.csv: 347,520 in 2018, 348,480 in 2019.
    per_capita = (_total_fen(2018) * 105 * 2 + 347_520 * 100) // (347_520 * 100 * 2)  # half up
    assert per_capita == 66_010  # 21,847,401,323 × 1.05 / 347,520 = 66,009.93 fen
    benchmark = 348_480 * per_capita  # 23,003,164,800 fen
    savings = benchmark - _total_fen(2019)  # 23,003,164,800 − 22,611,129,131 = 392,035,669
    assert (benchmark, savings) == (23_003_164_800, 392_035_669)
    # the settlement table gives each line's working in its own column (it sat in the label)
    assert "benchmark │ 230,031,648.00 │ 348,480 assigned × 660.10" in out
    assert "3,920,356.69" in out
    # savings rate 392,035,669 / 23,003,164,800 = 1.70 % < 2 %: nothing shared
    assert "Savings rate 1.70% < minimum savings rate 2.00%: not met" in out
    assert "balance " not in out  # no budget: no balance line that always read 0.00


# ---------------------------------------------------------------- 5: ledger folder


def test_a_ledger_in_a_folder_that_does_not_exist_gets_its_folder_as_a_figure_does(tables):
    # review session 24, finding 10: the README's `settle --ledger out/ledger.sqlite`
    # failed in a fresh checkout (no out/) while `compare --figure out/compare.png` made
    # the folder; both output options now make it
    root, args = tables
    ledger = root / "no" / "such" / "l.sqlite"
    r = run("settle", *args, "--year", "2018", "--assume-passed", "--ledger", str(ledger))
    assert r.exit_code == 0, r.output
    assert "posted (batch 1" in text(r)
    assert ledger.is_file()
    # bad input still leaves nothing behind: no folder made for a settlement refused
    other = root / "none" / "l.sqlite"
    r = run("settle", *args, "--year", "2099", "--ledger", str(other))
    assert r.exit_code == 2
    assert not (root / "none").exists()


def test_ledger_json_gives_batch_ids_as_whole_numbers(tmp_path):
    import json

    settle = ["settle", *BOTH, "--year", "2018", "--ledger", str(tmp_path / "l.sqlite")]
    assert run(*settle, "--assume-passed").exit_code == 0
    assert run(*settle, "--assume-passed", "--rules", "other-areas").exit_code == 0
    r = run("ledger", "--ledger", str(tmp_path / "l.sqlite"), "--json")
    assert r.exit_code == 0, r.output
    # before: "reverses_batch": 1.0 (the column was float, NaN for none)
    ids = [b["reverses_batch"] for b in json.loads(r.output)]
    assert ids == [None, 1, None] and type(ids[1]) is int  # 1.0 == 1 in Python


def test_ledger_batches_read_in_words_and_name_the_batch_a_reversal_reverses(tmp_path):
    # The CLI's batches table showed code headers (batch_id, rules_name) and left out
    # which batch a reversal reverses, the one thing an auditor needs from it.
    settle = ["settle", *BOTH, "--year", "2018", "--ledger", str(tmp_path / "l.sqlite")]
    assert run(*settle, "--assume-passed").exit_code == 0
    r = run("ledger", "--ledger", str(tmp_path / "l.sqlite"))
    assert r.exit_code == 0, r.output
    assert "Rule set" in r.output and "rules_name" not in r.output
    assert "Reverses batch" not in r.output  # no reversal yet: no empty column
    # settling 2018 again under other rules reverses batch 1 (batch 2) and posts batch 3
    assert run(*settle, "--assume-passed", "--rules", "other-areas").exit_code == 0
    r = run("ledger", "--ledger", str(tmp_path / "l.sqlite"))
    assert r.exit_code == 0, r.output
    # batch 2's status says it reverses batch 1 (its words may wrap onto the next line)
    cells = [line.replace("│", " ").split() for line in r.output.splitlines()]
    status = {
        c[0]: c[6:] + cells[i + 1] for i, c in enumerate(cells) if c[:1] in (["1"], ["2"], ["3"])
    }
    assert status["2"][:3] == ["reverses", "batch", "1"], r.output
    assert "batch" not in status["1"] + status["3"], r.output
