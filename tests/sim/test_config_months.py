"""The months of a simulation file (``reform.date``, ``period`` and ``study_window``'s
``start`` and ``end``) are read as ``ihms sim run --reform`` reads its month, through
:func:`ihms.sim.config.month_text` (2019-03, 2019/3, 2019年3月, Mar 2019 …), and stored
as ``YYYY-MM``; the file accepted only ``YYYY-MM`` before. A month it cannot read is
refused naming the file, the line, the key and the forms expected."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from ihms.errors import ConfigError
from ihms.sim import load_sim_config
from ihms.sim.config import month_text
from ihms.sim.load import config_from_mapping


@pytest.fixture
def raw(example_path):
    return yaml.safe_load(example_path.read_text(encoding="utf-8"))["simulation"]


FORMS = (
    "expected a month such as 2017-10, 2017/10, 2017.10, 2017m10, 2017年10月, Oct 2017 or 201710"
)


def _written(tmp_path, example_path, old: str, new: str):
    text = example_path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    text = text.replace("county: youxi.yaml", f"county: {example_path.with_name('youxi.yaml')}")
    path = tmp_path / "sim.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if new in row)
    return path, line


@pytest.mark.parametrize(
    "written",
    [
        '"2017/10"',
        '"2017年10月"',
        '"Oct 2017"',
        '"2017.10"',
        '"2017-10-01"',
        "2017-10-01",
        "2017/10",
        "201710",
        '"201710"',
    ],
)
def test_the_reform_month_is_read_as_reform_reads_it(tmp_path, example_path, written):
    # 2017-10-01 unquoted is a YAML date, 2017/10 unquoted a YAML string
    path, _ = _written(tmp_path, example_path, 'date: "2017-10"', f"date: {written}")
    config = load_sim_config(path)
    assert config.reform.date == "2017-10" == month_text(written.strip('"'))


def test_period_and_study_window_months_are_read_so_too(raw):
    raw["period"] = {"start": "2016年1月", "end": "2019/12"}
    raw["study_window"] = {"start": "Feb 2016", "end": "2019.11"}
    config = config_from_mapping(raw, where="county.yaml")
    assert (config.period.start, config.period.end) == ("2016-01", "2019-12")
    assert (config.study_window.start, config.study_window.end) == ("2016-02", "2019-11")
    assert len(config.period.months) == 48


def test_a_date_object_as_a_python_mapping_gives_it_is_its_month(raw):
    raw["reform"]["date"] = dt.date(2017, 10, 1)
    assert config_from_mapping(raw, where="county.yaml").reform.date == "2017-10"


@pytest.mark.parametrize(
    "written", ['"2017-13"', '"autumn 2017"', "201713", "190001.5", "2017.1", '"20171"']
)
def test_a_month_it_cannot_read_names_the_file_line_key_and_forms(tmp_path, example_path, written):
    # 201713 and 2017.1 are YAML numbers (month 13; January or an October cut short by
    # Excel); --reform refuses them too (month_text)
    value = yaml.safe_load(written)
    path, line = _written(tmp_path, example_path, 'date: "2017-10"', f"date: {written}")
    with pytest.raises(ConfigError) as info:
        load_sim_config(path)
    assert f"{path} line {line}: key 'simulation.reform.date': {FORMS}, got {value!r}" in str(
        info.value
    )
    with pytest.raises(ConfigError, match=FORMS):
        month_text(value)


@pytest.mark.parametrize("written", ["2017.10", "2017m10", "２０１７年１０月", "2017/10/1"])
def test_month_text_reads_the_months_payment_reads(written):
    """One month reader (ihms._months): `sim --reform` and `payment track --through`
    read the same months, and refuse a date after the first as a month alike."""
    from ihms.payment.tracking import through_month

    assert month_text(written) == "2017-10" and through_month(written, 2017) == 10


def test_a_date_after_the_first_is_no_month_here_as_in_payment():
    with pytest.raises(ConfigError, match=r"reform: '2017-10-15' is a date on day 15, not a month"):
        month_text("2017-10-15", name="reform")


def test_a_bad_period_month_names_its_key(raw):
    raw["period"]["end"] = "2019-13"
    with pytest.raises(ConfigError) as info:
        config_from_mapping(raw, where="county.yaml")
    assert f"county.yaml: key 'simulation.period.end': {FORMS}, got '2019-13'" in str(info.value)


def test_a_yyyymm_number_is_read_by_the_one_rule_its_reads_a_column_by():
    """`month_text` and `its` take a YYYYMM number by one rule (review 22a L3: the
    bounds were written twice): year 1900-2100, month 01-12."""
    from ihms._months import yyyymm_month

    assert yyyymm_month(201710) == (2017, 10)
    assert yyyymm_month(190001) == (1900, 1) and yyyymm_month(210012) == (2100, 12)
    for outside in (189912, 210101, 201713, 201700):
        assert yyyymm_month(outside) is None
        with pytest.raises(ConfigError, match="expected a month such as"):
            month_text(outside)
    assert month_text(190001) == "1900-01" and month_text("210012") == "2100-12"
