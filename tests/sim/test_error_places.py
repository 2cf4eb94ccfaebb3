"""Errors name the file, key and line where the problem is (user review 22s, M3).

The review: a bad ``geography.outside`` in the simulation config was blamed on the county
file, with no line; a county file's error dropped its folder; checks across keys
(``family_physician.registration`` missing a year, ``reform.date`` outside the period)
named only ``key 'simulation'``, no line; ``sim calibrate`` refusing another county's
window did not say what to do instead.
"""

import pytest

from ihms.errors import ConfigError
from ihms.sim import load_sim_config
from ihms.sim.calibrate import check_study_window
from ihms.sim.run import load_county


def test_a_county_files_error_keeps_the_folder_it_was_named_with(
    tmp_path, example_path, monkeypatch
):
    (tmp_path / "bad").mkdir()
    county = example_path.with_name("youxi.yaml").read_text(encoding="utf-8")
    (tmp_path / "bad" / "youxi.yaml").write_text(
        county.replace("ihms_system: 1", "ihms_system: 1\nnonsense_key: 1", 1), encoding="utf-8"
    )
    config = load_sim_config(example_path).model_copy(
        update={"county": str(tmp_path / "bad" / "youxi.yaml")}
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        load_county(config)
    assert str(info.value).startswith("bad/youxi.yaml")


def test_calibrate_refusing_another_window_says_what_to_do_instead():
    with pytest.raises(ConfigError) as info:
        check_study_window(("2018-01", "2021-12"), where="hexi_sim.yaml")
    text = " ".join(str(info.value).split())
    assert "got 2018-01 … 2021-12" in text
    assert "calibrates to Youxi's published figures only" in text
    assert "ihms indicators compute --store" in text
