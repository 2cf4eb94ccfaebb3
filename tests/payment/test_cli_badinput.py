"""``ihms payment`` given the bad inputs an analyst produces (found by a bad-input audit):
each is refused with exit code 2 and a message naming file, row, column and what was
expected, and nothing is written."""

import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment import builtin_rules_text

runner = CliRunner()
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
FILES = {"spending": "spending.csv", "population": "population.csv"}
FILES |= {"indicators": "indicators.csv", "staff": "staff.csv"}


@pytest.fixture
def tables(tmp_path):
    """A copy of the example tables to spoil, and the settle arguments reading them."""
    for name in FILES.values():
        shutil.copy(EX / name, tmp_path / name)
    args = [a for key, name in FILES.items() for a in (f"--{key}", str(tmp_path / name))]
    return tmp_path, args


def run(*args):
    return runner.invoke(app, ["payment", *args])


def text(result) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(result.output.split())


def replace_line(path: Path, old: str, new: str) -> None:
    body = path.read_text("utf-8")
    assert old in body
    path.write_text(body.replace(old, new, 1), "utf-8")


def refused(result, *parts: str) -> None:
    assert result.exit_code == 2, result.output
    out = text(result)
    assert "Traceback" not in out
    for part in parts:
        assert part in out, (part, out)


# ---------------------------------------------------------------- 1: rates as percentages


RATE_ROW = "2018,consortium,hypertension_control_rate,0.718"


def test_bare_percentage_in_a_rate_is_refused(tables):
    root, args = tables
    replace_line(root / "indicators.csv", RATE_ROW, RATE_ROW.replace("0.718", "71.8"))
    r = run("settle", *args, "--year", "2018")
    # the row is line 41 of the file (header = row 1)
    refused(r, "indicators.csv", "row 41", "'value'", "between 0 and 1", "71.8%")


def test_negative_rate_is_refused(tables):
    root, args = tables
    replace_line(root / "indicators.csv", RATE_ROW, RATE_ROW.replace("0.718", "-0.2"))
    refused(run("settle", *args, "--year", "2018"), "row 41", "between 0 and 1", "'-0.2'")


def test_percent_sign_and_counts_are_read(tables):
    root, args = tables
    replace_line(root / "indicators.csv", RATE_ROW, RATE_ROW.replace("0.718", "71.8%"))
    # counts (sessions, days) are not rates: 30 sessions is no percentage
    body = (root / "indicators.csv").read_text("utf-8")
    assert ",health_education_sessions,2" in body and ",thc_consultation_days,1" in body
    r = run("settle", *args, "--year", "2018")
    assert r.exit_code == 0, r.output


# ---------------------------------------------------------------- 2: growth as a bare number


@pytest.mark.parametrize(
    ("growth", "parts"),
    [
        ("6", ["budget.premium.growth", "600%", "'6%'"]),
        ("-3", ["budget.premium.growth", "'-3%'"]),
        ("80%", ["budget.premium.growth", "50%"]),
    ],
)
def test_growth_beyond_bounds_is_refused(tables, growth, parts):
    root, args = tables
    rules = root / "county.yaml"
    rules.write_text(
        builtin_rules_text("sanming").replace("growth: 6%", f"growth: {growth}"), "utf-8"
    )
    refused(run("budget", "--rules", str(rules), *args[2:4], "--year", "2018"), *parts)


def test_history_growth_bare_number_is_refused(tables):
    root, args = tables
    rules = root / "county.yaml"
    body = builtin_rules_text("other-areas")
    assert "history_growth: 5%" in body
    rules.write_text(body.replace("history_growth: 5%", "history_growth: 5"), "utf-8")
    refused(run("settle", "--rules", str(rules), *args, "--year", "2018"), "history_growth")


# ---------------------------------------------------------------- 3: duplicate spending rows


def test_duplicate_spending_row_is_refused(tables):
    root, args = tables
    path = root / "spending.csv"
    row = next(
        line for line in path.read_text("utf-8").splitlines() if "2018,consortium,CH01," in line
    )
    path.write_text(path.read_text("utf-8") + row + "\n", "utf-8")
    first = path.read_text("utf-8").splitlines().index(row) + 1
    last = len(path.read_text("utf-8").splitlines())
    refused(
        run("settle", *args, "--year", "2018"),
        "spending.csv",
        f"row {last}",
        f"first on row {first}",
        "CH01",
    )


# ---------------------------------------------------------------- 4 and 8: fen and counts


def test_yuan_amount_in_a_fen_column_is_refused(tables):
    root, args = tables
    replace_line(
        root / "staff.csv", "D-CH01,director,CH01,38000000", 'D-CH01,director,CH01,"380,000.00"'
    )
    refused(
        run("settle", *args, "--year", "2018"),
        "staff.csv",
        "row 2",
        "'base_salary_fen'",
        "1 yuan = 100 fen",
        "'380,000.00'",
    )


@pytest.mark.parametrize("cell", ['"8,177,700,551"', "8177700551.00", "8.1777e9"])
def test_fen_written_with_separators_or_decimals_is_refused(tables, cell):
    root, args = tables
    replace_line(
        root / "spending.csv", "2018,consortium,CH01,8177700551", f"2018,consortium,CH01,{cell}"
    )
    refused(run("settle", *args, "--year", "2018"), "'insurance_paid_fen'", "1 yuan = 100 fen")


# "347,520" is read (with a note) since session 19's F3; a comma not in threes is not
@pytest.mark.parametrize("cell", ["347520.0", "3.4752e5", '"347,52"', '"347,520.0"'])
def test_count_with_decimal_point_is_refused(tables, cell):
    root, args = tables
    replace_line(root / "population.csv", "2018,362000,347520,", f"2018,362000,{cell},")
    refused(
        run("settle", *args, "--year", "2018"),
        "population.csv",
        "row 4",
        "'insured_population'",
        "a whole number",
    )


# ---------------------------------------------------------------- 5: ledgers


def _foreign_db(path: Path) -> bytes:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE documents (doc_id TEXT PRIMARY KEY, title TEXT)")
        conn.execute("INSERT INTO documents VALUES ('d1', 'a policy')")
    conn.close()
    return path.read_bytes()


def _tables_in(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def test_ledger_audit_refuses_a_foreign_database_and_writes_nothing(tmp_path):
    db = tmp_path / "policy.sqlite"
    before = _foreign_db(db)
    refused(run("ledger", "--ledger", str(db)), "policy.sqlite", "not an ihms payment ledger")
    assert _tables_in(db) == {"documents"} and db.read_bytes() == before


def test_ledger_audit_never_creates_tables(tmp_path):
    db = tmp_path / "empty.sqlite"
    sqlite3.connect(db).close()  # an empty file
    refused(run("ledger", "--ledger", str(db)), "empty.sqlite", "not an ihms payment ledger")
    assert _tables_in(db) == set()
    refused(run("ledger", "--ledger", str(tmp_path)), "folder")


def test_settle_refuses_to_post_into_a_foreign_database(tables):
    root, args = tables
    db = root / "policy.sqlite"
    _foreign_db(db)
    r = run("settle", *args, "--year", "2018", "--ledger", str(db))
    refused(r, "policy.sqlite", "not an ihms payment ledger")
    assert _tables_in(db) == {"documents"}


# ---------------------------------------------------------------- 6: zero population


@pytest.mark.parametrize("cell", ["0", "-347520"])
def test_zero_population_is_refused(tables, cell):
    root, args = tables
    replace_line(root / "population.csv", "2018,362000,347520,", f"2018,362000,{cell},")
    refused(
        run("budget", *args[2:4], "--year", "2018"),
        "population.csv",
        "row 4",
        "'insured_population'",
        "> 0",
    )


# ---------------------------------------------------------------- 7: messages


def test_gbk_csv_with_chinese_text_is_read(tables):
    root, args = tables
    path = root / "population.csv"
    body = path.read_text("utf-8").replace("resident_population", "常住人口")
    path.write_bytes(body.encode("gbk"))
    r = run("settle", *args, "--year", "2018")
    assert r.exit_code == 0, r.output


def test_a_folder_for_a_table_is_named_as_a_folder(tables):
    root, args = tables
    folder = root / "pop_dir"
    folder.mkdir()
    i = args.index("--population")
    args[i + 1] = str(folder)
    refused(run("settle", *args, "--year", "2018"), "pop_dir", "is a folder")


def test_rules_without_budget_section_say_so(tables):
    root, args = tables
    body = builtin_rules_text("sanming")
    start, end = body.index("budget:\n"), body.index("settlement:\n")
    rules = root / "county.yaml"
    rules.write_text(body[:start] + body[end:], "utf-8")
    refused(run("settle", "--rules", str(rules), *args, "--year", "2018"), "missing section budget")
    refused(
        run("budget", "--rules", str(rules), *args[2:4], "--year", "2018"), "missing section budget"
    )


def test_ids_one_table_uses_and_the_others_lack_are_noted(tables):
    # Each table is valid alone; a mistyped institution id would book D-THC01's salary
    # to an institution with no spending (refused since payment review 2026-11-25, 6),
    # and a mistyped subject leaves values unused.
    folder, args = tables
    replace_line(folder / "staff.csv", "D-THC01,director,THC01", "D-THC01,director,THC1")
    replace_line(folder / "indicators.csv", "2019,D-CH02,", "2019,D-CH2,")
    result = run("settle", "--year", "2019", *args)
    # the roster is refused before any note: no note on the tables it then never gives
    # (session 29's closing note; the note on the same ids came just before the refusal)
    refused(result, "staff 'D-THC01' works at 'THC1', which has no consortium spending")
    assert "note:" not in text(result)
    replace_line(folder / "staff.csv", "D-THC01,director,THC1", "D-THC01,director,THC01")
    result = run("settle", "--year", "2019", *args)
    # a subject's unused values explain the refusal of the scorecard that lacks them
    assert "2019 values for D-CH2 are not used" in text(result)
    refused(result, "subject 'D-CH02' (director scorecard): no hypertension_control_rate")
    # 'Consortium' is the consortium, as the spending table reads it (review 2): a note
    replace_line(folder / "indicators.csv", "2019,consortium,", "2019,Consortium,")
    result = run("settle", "--year", "2019", *[a for a in args if "staff" not in a])
    assert result.exit_code == 0, result.output
    assert "(Consortium → consortium)" in text(result)
    assert "values for Consortium are not used" not in text(result)
    # the clean example tables get no such note (their sample roster's incentives above
    # the base salary are noted, tests/payment/test_incentive_checks.py)
    for name in FILES.values():
        shutil.copy(EX / name, folder / name)
    notes = text(run("settle", "--year", "2019", *args)).split("note: ")[1:]
    assert notes and all(n.startswith("Incentive above 1 × the base salary") for n in notes)


def test_missing_scorecard_values_are_named_all_at_once(tables):
    folder, args = tables
    replace_line(folder / "indicators.csv", "2018,consortium,diabetes_control_rate,0.659\n", "")
    replace_line(folder / "indicators.csv", "2018,DR-CH01-B,thc_consultation_days,19\n", "")
    for command in ("settle", "distribute", "scorecard"):
        result = run(command, "--year", "2018", *args)
        refused(
            result,
            f"{folder / 'indicators.csv'}: 2 subjects lack scorecard values for 2018",
            "(fund_balance_rate is computed by the settlement)",
            "2018, subject 'consortium' (director scorecard): no diabetes_control_rate",
            "2018, subject 'DR-CH01-B' (doctor scorecard): no thc_consultation_days",
        )
