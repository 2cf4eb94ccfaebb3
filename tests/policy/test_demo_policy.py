import pytest

from ihms.demo import DemoContext
from ihms.demo._policy import policy_sections


@pytest.mark.slow
def test_policy_demo_sections(tmp_path):
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path / "work")
    ctx.work_dir.mkdir()
    sections = policy_sections(ctx)
    assert [s.id for s in sections] == [
        "policy-corpus", "policy-agreement", "policy-1d", "policy-2d", "policy-trend", "policy-words", "policy-network",
    ]  # fmt: skip
    assert all(s.mirrors.startswith("seed 00") for s in sections)
    figures = [f.name for s in sections for f in s.figures()]
    assert figures == ["prisma", "policy_trend", "policy_wordcloud", "policy_network"]
    tables = {t.name for s in sections for t in s.tables()}
    assert {f"policy_table{i}" for i in range(1, 13)} <= tables
    assert ctx.artefacts["policy_project"].is_file()
