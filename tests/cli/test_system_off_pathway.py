"""``ihms system off-pathway``: the referrals off the pathway, printed and written
(session 22 review D, LOW 3); the list itself is checked in
tests/indicators/test_off_pathway_list.py."""

from __future__ import annotations

import pandas as pd
from tests.indicators.conftest import TINY_YAML, tiny_tables  # noqa: F401  (fixture)
from tests.indicators.test_referral_views import referred  # noqa: F401  (fixture)
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Store


def test_system_off_pathway_prints_and_writes_them(referred, tmp_path):  # noqa: F811
    store, yaml = tmp_path / "tiny.duckdb", tmp_path / "tiny.yaml"
    yaml.write_text(TINY_YAML, encoding="utf-8")
    with Store(store) as s:
        s.write(referred)
    out = tmp_path / "off.csv"
    args = ["system", "off-pathway", str(yaml), "--store", str(store), "--out", str(out)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    # x1 CH -> PH (2016, CH up to the tier above) is on it: x4 alone is off it
    assert "x4" in res.output and "1 referral off the pathway" in res.output
    res = CliRunner().invoke(app, [*args[:5], "--year", "2015"])
    assert res.exit_code == 2 and "--year: the data cover 2016–2017, got 2015" in res.output
    written = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert list(written["referral_id"]) == ["x4"]
    assert list(written["expected"]) == ["CH"]


def test_a_system_file_not_matching_the_store_is_refused_or_noted(referred, tmp_path):  # noqa: F811
    # review of the delivery system (session 30), finding 3: another county's file
    # called every referral off the pathway (546 of them, "expected" empty), exit 0.
    # Fewer than half of the referrals' institutions listed: refused, naming the file
    # and unknown ids; a few unknown: a note counting them.
    store = tmp_path / "tiny.duckdb"
    with Store(store) as s:
        s.write(referred)
    args = ["system", "off-pathway", "examples/youxi.yaml", "--store", str(store)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2, res.output
    assert "youxi.yaml: lists 0 of the 5 institutions" in res.output
    assert "CH, PH, THC1" in res.output and "another county" in res.output
    lacking = tmp_path / "lacking.yaml"  # the tiny county without PH (one of six)
    lines = TINY_YAML.splitlines(keepends=True)
    text = "".join(x for x in lines if "{id: PH," not in x)
    lacking.write_text(text.replace(", refers_up_to: [PH]", ""), encoding="utf-8")
    res = CliRunner().invoke(app, ["system", "off-pathway", str(lacking), "--store", str(store)])
    assert res.exit_code == 0, res.output
    assert "institutions the referrals name are not listed (PH)" in res.output
    # under --lang zh the note was printed in English (a reader note's note(text))
    args = ["system", "off-pathway", str(lacking), "--store", str(store), "--lang", "zh"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    said = " ".join(res.stderr.split())
    assert "注：lacking.yaml：转诊记录涉及的 5 家机构中有 1 家未列出（PH）：" in said, said
    assert "其转诊均计为未按转诊路径转诊。" in said and "not listed" not in said


def test_the_off_pathway_note_names_many_ids_in_chinese():
    from ihms.system._notes_zh import system_note_zh

    text = "s.yaml: 7 of the 9 institutions the referrals name are not listed (A, B and 5 more)"
    said = system_note_zh(text + "; their referrals count as off the pathway")
    assert said == (
        "s.yaml：转诊记录涉及的 9 家机构中有 7 家未列出（A、B 等，另有 5 家）：其转诊均计为"
        "未按转诊路径转诊。"
    )
