"""One rule for "this run has no reform" (session 20 review B item 3): a run of the
config's ``baseline_regime`` is no reform, whatever that regime is called. The simulator
records it in the store's ``producer_details`` (no ``reform`` key), ``ihms payment
settle`` reads that (:func:`ihms.payment.reform.store_reform`), and the demo asks the
same predicate (:func:`ihms.payment.reform.is_reform`). Also the month in words
(review B item 8): one :func:`ihms.payment.reform.month_words`."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ihms.errors import InputError
from ihms.payment.reform import is_reform, month_words, run_details, store_reform
from ihms.sim import CountySimulation, MemorySink


def _store(details, source="elsewhere"):
    info = SimpleNamespace(producer="ihms.sim", producer_details=details, source=source)
    return SimpleNamespace(info=lambda: info, path="s.duckdb")


def _with_baseline(config, regime):
    return type(config).model_validate({**config.model_dump(), "baseline_regime": regime})


def test_the_baseline_regime_is_no_reform_whatever_its_name():
    assert not is_reform("other-areas", "other-areas")
    assert is_reform("fee-for-service", "other-areas")  # a reform *to* fee for service
    assert not is_reform("fee-for-service", "fee-for-service")


def test_a_run_of_the_baseline_regime_records_no_reform(small_config, youxi_system):
    config = _with_baseline(small_config, "other-areas")
    sink = MemorySink()
    CountySimulation(config, regime="other-areas", residents=800, system=youxi_system).run(
        sink=sink
    )
    details = dict(sink.info.details)
    assert details == {"regime": "other-areas", "baseline_regime": "other-areas"}
    assert store_reform(_store(details)) is None


def test_store_reform_reads_the_recorded_rule_not_a_regime_name():
    to_fee = run_details("fee-for-service", "other-areas", "2017-10")
    assert store_reform(_store(to_fee)) == "2017-10"
    assert store_reform(_store(run_details("other-areas", "other-areas", "2017-10"))) is None
    # a store written before the baseline was recorded: fee for service was the baseline
    assert store_reform(_store({"regime": "fee-for-service", "reform": "2017-10"})) is None
    assert store_reform(_store({"regime": "sanming", "reform": "2017-10"})) == "2017-10"


def test_a_badly_written_recorded_month_is_refused():
    with pytest.raises(InputError, match=r"'reform'.*got '2017-13'"):
        store_reform(_store(run_details("sanming", "fee-for-service", "2017-13")))


@pytest.mark.parametrize(
    ("month", "year", "words"),
    [
        ("2017-10", True, "October 2017"),
        ("2018-01", True, "January 2018"),
        ("2017-10", False, "October"),
    ],
)
def test_month_words(month, year, words):
    assert month_words(month, year=year) == words


def test_month_words_refuses_what_is_no_month():
    with pytest.raises(
        InputError, match=r"expected a month written 2018-06, 2018年6月.*got .2017-13."
    ):
        month_words("2017-13")
