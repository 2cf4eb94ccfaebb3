"""Every ``ihms`` command prints the library's warnings (:class:`~ihms.errors.IhmsWarning`,
:class:`~ihms.errors.StatisticalWarning`) as notes on stderr, in its ``--lang``, not as
Python's ``file.py:NNN: IhmsWarning:`` line (whose file and line, the caller's, are a
line of typer's source when the CLI called): not only the commands that read their
tables under ``notes_on_stderr``. Other warnings stay warnings, the printer is put back
after each command, and a ``notes_on_stderr`` block still keeps its notes until it
succeeds.

``ihms trend`` reads no table under ``notes_on_stderr``; no library call of it warns
today, so its test is patched to give the caveat a statistic gives (the undefined
kappa's wording), as one added to it would."""

from __future__ import annotations

import subprocess
import sys
import warnings

from typer.testing import CliRunner

import ihms.stats.trend
from ihms.cli.main import app
from ihms.errors import InputError, StatisticalWarning

runner = CliRunner()
TREND = ["trend", "--events", "83,90,129,70", "--totals", "86,93,136,82"]
CAVEAT = "a caveat of the test for trend: the groups' rates are undefined"


def _warning_trend(monkeypatch, category=StatisticalWarning):
    real = ihms.stats.trend.trend_test

    def trend_test(*args, **kwargs):
        warnings.warn(CAVEAT, category, stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(ihms.stats.trend, "trend_test", trend_test)


def test_a_command_without_notes_on_stderr_prints_a_library_warning_as_a_note(monkeypatch):
    _warning_trend(monkeypatch)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        shown_before = warnings.showwarning
        result = runner.invoke(app, TREND)
        assert warnings.showwarning is shown_before  # put back when the command closed
    assert result.exit_code == 0, result.output
    assert result.stderr == f"note: {CAVEAT}\n"
    assert "Chi-square test for trend" in result.stdout
    assert not caught  # printed by the command, not handed to Python's printer
    zh = runner.invoke(app, [*TREND, "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    assert zh.stderr == f"注：{CAVEAT}\n"


def test_another_warning_stays_a_warning(monkeypatch):
    _warning_trend(monkeypatch, category=RuntimeWarning)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = runner.invoke(app, TREND)
    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr
    assert [(w.category, str(w.message)) for w in caught] == [(RuntimeWarning, CAVEAT)]


def test_the_filters_in_force_still_decide(monkeypatch):
    # python -W ignore::UserWarning / PYTHONWARNINGS silence the notes, -W error makes them
    # errors, as before session 36 (whose once-a-command rule had put "always" first)
    _warning_trend(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        quiet = runner.invoke(app, TREND)
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""
    with warnings.catch_warnings():
        warnings.simplefilter("error", StatisticalWarning)
        strict = runner.invoke(app, TREND)
    assert isinstance(strict.exception, StatisticalWarning)


def test_no_python_warning_line_in_a_real_process():
    # the command in its own process, where Python's printer would write
    # "<file>:<line>: StatisticalWarning: ..." on stderr
    code = (
        "import sys, warnings\n"
        "import ihms.stats.trend as trend\n"
        "from ihms.errors import StatisticalWarning\n"
        "real = trend.trend_test\n"
        "def noisy(*a, **k):\n"
        f"    warnings.warn({CAVEAT!r}, StatisticalWarning, stacklevel=2)\n"
        "    return real(*a, **k)\n"
        "trend.trend_test = noisy\n"
        "from ihms.cli.main import main\n"
        f"sys.argv = ['ihms', *{TREND!r}]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"note: {CAVEAT}\n"


def _its_fit(tmp_path, value=lambda m: m):
    """``its fit`` of twelve months of ``value(month)``, interrupted in July."""
    table = tmp_path / "series.csv"
    table.write_text("month,y\n" + "".join(f"2022-{m:02d},{value(m)}\n" for m in range(1, 13)))
    args = ["its", "fit", str(table), "--outcome", "y", "--time", "month"]
    return runner.invoke(app, [*args, "--interruption", "2022-07"])


def test_a_refused_block_of_notes_on_stderr_prints_its_notes_not(monkeypatch, tmp_path):
    # the notes wait for the block: a refusal after them stands alone (session 29)
    from ihms.stats import ITSModel

    def fit(self, **kwargs):
        warnings.warn(CAVEAT, StatisticalWarning, stacklevel=2)
        raise InputError("the fit refused")

    monkeypatch.setattr(ITSModel, "fit", fit)
    result = _its_fit(tmp_path)
    assert result.exit_code == 2, result.output
    assert result.stderr == "error: the fit refused\n"


def test_an_exact_fit_note_in_chinese(tmp_path):
    # a real library warning (the exact-fit caveat of ihms.stats.its) under 注：with --lang zh
    from tests.cli.test_its_analyst_cli import exact_csv

    args = ["its", "fit", str(exact_csv(tmp_path)), "--outcome", "门诊人次", "--time", "月份"]
    result = runner.invoke(app, [*args, "--interruption", "2023-01", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    stderr = " ".join(result.stderr.split())
    # in Chinese since the warning carries it (session 36; before, the English after 注：)
    assert stderr.startswith("注：结局指标 '门诊人次'：恰好落在拟合线上（没有残差）"), stderr
    assert "note:" not in stderr and "Warning" not in stderr


# -- review item C10: a note once a command, whichever path printed it ----------------

OTHER = "a second caveat of the test for trend"


def test_the_same_warning_twice_is_one_note_and_distinct_ones_all_shown(monkeypatch):
    # before, Python's "default" filter decided: once a line of code, so the same text
    # from two lines was printed twice, and a text repeated on one line once
    real = ihms.stats.trend.trend_test

    def trend_test(*args, **kwargs):
        warnings.warn(CAVEAT, StatisticalWarning, stacklevel=2)
        warnings.warn(CAVEAT, StatisticalWarning, stacklevel=1)  # another line, same text
        for _ in range(2):
            warnings.warn(OTHER, StatisticalWarning, stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(ihms.stats.trend, "trend_test", trend_test)
    result = runner.invoke(app, TREND)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"note: {CAVEAT}\nnote: {OTHER}\n"
    again = runner.invoke(app, [*TREND, "--lang", "zh"])  # a new command prints them again
    assert again.stderr == f"注：{CAVEAT}\n注：{OTHER}\n"


def test_a_block_of_notes_on_stderr_prints_a_repeated_warning_once(monkeypatch, tmp_path):
    # before, notes_on_stderr's "always" printed every repeat
    from ihms.stats import ITSModel

    real = ITSModel.fit

    def fit(self, **kwargs):
        for text in (CAVEAT, OTHER, CAVEAT):
            warnings.warn(text, StatisticalWarning, stacklevel=2)
        return real(self, **kwargs)

    monkeypatch.setattr(ITSModel, "fit", fit)
    result = _its_fit(tmp_path, lambda m: m % 5 + m)
    assert result.exit_code == 0, result.output
    assert result.stderr.count(f"note: {CAVEAT}\n") == 1, result.stderr
    assert result.stderr.count(f"note: {OTHER}\n") == 1, result.stderr
