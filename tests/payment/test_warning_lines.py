"""The payment readers' notes (:class:`~ihms.errors.IhmsWarning`) point at the caller's
line, whichever public function reached them: with fixed ``stacklevel``\\ s counted for
one path, a title row's note read through ``PopulationTable.read`` pointed at
``ihms/payment/population.py``, a former indicator id in ``IndicatorValues.from_frame``
one frame above the caller, and so on."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import yaml

from ihms.errors import IhmsWarning
from ihms.payment import (
    IndicatorValues,
    MonthlySpendingTable,
    PopulationTable,
    builtin_rules_text,
    load_rules,
)
from ihms.payment._config import rules_from_mapping

EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
# a former indicator id (read as healthcare_visits_primary_share), and the id of Sanming's
# director card's cooperation line, which the rule-file test replaces by that former id
OLD, CARD = "primary_care_healthcare_share", "outpatient_contacts_primary_share"


@contextmanager
def _notes(words: str) -> Iterator[None]:
    """The block warns ``words`` at least once, every such note at this file. (Called in
    the test itself, not in a lambda: a fixed stacklevel one too high would point at a
    helper of this file and pass.)"""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    hits = [w for w in caught if issubclass(w.category, IhmsWarning) and words in str(w.message)]
    assert hits, [str(w.message) for w in caught]
    assert [w.filename for w in hits] == [__file__] * len(hits)


def _titled(path: Path, source: Path) -> Path:
    path.write_text("2018年医保基金结算表\n" + source.read_text("utf-8"), "utf-8")
    return path


def test_a_title_rows_note_points_at_the_caller(tmp_path):
    pop = _titled(tmp_path / "pop.csv", EX / "population.csv")
    with _notes("above the header left out"):
        PopulationTable.read(pop)
    monthly = _titled(tmp_path / "monthly.csv", EX / "monthly_spending.csv")
    with _notes("above the header left out"):
        MonthlySpendingTable.read(monthly)


def test_a_column_note_read_through_read_points_at_the_caller(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text('year,insured_population,benchmark_per_capita_yuan\n2018,1000,"1,500.50"\n')
    with _notes("benchmark_per_capita_yuan"):
        PopulationTable.read(path)
    frame = pd.read_csv(path, dtype=str)
    with _notes("benchmark_per_capita"):
        PopulationTable.from_frame(frame, source="pop.csv")


def test_a_former_indicator_id_points_at_the_caller(tmp_path):
    frame = pd.read_csv(EX / "indicators.csv", dtype=str)
    frame.loc[0, "indicator"] = OLD  # the example file holds none of the former ids
    path = tmp_path / "indicators.csv"
    frame.to_csv(path, index=False)
    with _notes("is the former id"):
        IndicatorValues.read(path)
    with _notes("is the former id"):
        IndicatorValues.from_frame(frame, source="v.csv")


def test_a_rule_files_former_id_and_role_name_point_at_the_caller(tmp_path):
    text = builtin_rules_text("sanming").replace(f"id: {CARD}", f"id: {OLD}")
    text = text.replace("\n    doctor:\n", "\n    医生:\n")
    saved = tmp_path / "mine.yaml"
    saved.write_text(text, encoding="utf-8")
    for words in ("is the former id", "read as 'doctor'"):
        with _notes(words):
            load_rules(saved)
        with _notes(words):
            rules_from_mapping(yaml.safe_load(text))


def _mapped_population(tmp_path):
    """The example population table headed 年度, and a column map renaming it year."""
    from ihms.data import read_column_map
    from ihms.payment import TABLE_COLUMNS

    text = (EX / "population.csv").read_text("utf-8").replace("year,", "年度,", 1)
    (tmp_path / "pop.csv").write_text(text, "utf-8")
    (tmp_path / "map.yaml").write_text("population:\n  年度: year\n", "utf-8")
    return tmp_path / "pop.csv", read_column_map(tmp_path / "map.yaml", tables=TABLE_COLUMNS)


def test_a_column_maps_notes_point_at_the_caller(tmp_path):
    path, columns = _mapped_population(tmp_path)
    with _notes("年度"):
        PopulationTable.read(path, columns=columns)


def test_the_readers_notes_point_at_the_caller_from_any_depth(tmp_path):
    # read_mapped warned with stacklevel=3 (counted for the read methods), _config's notes
    # with 4 (counted for load_rules and rules_from_mapping): reached one frame nearer,
    # both pointed past the caller, into pytest
    from ihms.payment._config import _validated
    from ihms.payment._parse import read_mapped

    path, columns = _mapped_population(tmp_path)
    with _notes("年度"):
        read_mapped(path, "population", columns)
    rules = builtin_rules_text("sanming").replace(f"id: {CARD}", f"id: {OLD}")
    with _notes("is the former id"):
        _validated(yaml.safe_load(rules), "mine.yaml", None)
