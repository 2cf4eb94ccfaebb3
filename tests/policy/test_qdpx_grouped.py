"""REFI-QDA exchange of a grouped open dimension (the symbiotic environment): each
answer's code sits under its group's code, and reads back with that group."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import zipfile

import pytest
from lxml import etree
from tests.policy.test_qdpx import TEXT, _selection, _source, _write
from tests.policy.test_symbiosis_study import build_study

from ihms.errors import DataError
from ihms.policy import Document, Project, load_codebook
from ihms.policy.coding import codings
from ihms.policy.qdpx import export_qdpx, import_qdpx


@pytest.fixture(scope="module")
def template(tmp_path_factory, example_corpus):
    return build_study(
        tmp_path_factory.mktemp("qdpx_env") / "study.sqlite", example_corpus.documents
    )


def _paths(qdpx) -> set[tuple[str, ...]]:
    root = etree.fromstring(zipfile.ZipFile(qdpx).read("project.qde"))
    out = set()
    for code in root.iter("{urn:QDA-XML:project:1.0}Code"):
        names = [a.get("name") for a in code.iterancestors("{urn:QDA-XML:project:1.0}Code")]
        out.add((*reversed(names), code.get("name")))
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_answers_sit_under_their_groups_and_read_back(template, tmp_path, lang):
    with Project(shutil.copy(template, tmp_path / "study.sqlite")) as p:
        path = export_qdpx(p, tmp_path / "study.qdpx", lang=lang, scheme="clause").path
        paths = _paths(path)
        # coder a: 00-06-3-2 多点执业 (policy); 00-10-2-4 信息化 (technology) and
        # 检查检验结果互认 (policy); coder b also 编制与职称晋升 (policy), 00-10-2-1
        if lang == "zh":
            assert ("共生环境", "政策环境", "多点执业") in paths
            assert ("共生环境", "技术环境", "信息化") in paths
            assert ("共生环境", "社会环境") in paths  # every group, used or not
        else:
            assert ("Symbiotic environment", "Policy", "Multi-site practice") in paths
            assert ("Symbiotic environment", "Technology", "Informatization") in paths
        # no answer outside a group: the dimension holds its groups and 'none' only
        under = {
            q[1] for q in paths if len(q) == 2 and q[0] in ("共生环境", "Symbiotic environment")
        }
        assert under == ({"政策环境", "技术环境", "经济环境", "社会环境", "无"} if lang == "zh"
                         else {"Policy", "Technology", "Economy", "Society", "none"})  # fmt: skip
        import_qdpx(p, path, coder="b2", user="b", scheme="clause")
        c = codings(p, coders=["b", "b2"], dimensions=["symbiotic_environment"])
        got = sorted(c.loc[c["coder_id"] == "b2", ["segment_id", "value"]].itertuples(index=False))
        want = sorted(c.loc[c["coder_id"] == "b", ["segment_id", "value"]].itertuples(index=False))
        assert got == want
        assert {v for _, v in got} >= {"policy:编制与职称晋升", "technology:信息化"}


def _project(path) -> Project:
    project = Project.create(path, load_codebook("symbiosis"), name="tiny")
    digest = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    doc = Document(id="D1", file="D1.txt", fmt="txt", sha256=digest, text=TEXT,
                   title="吉安县分级诊疗通知", issuer="吉安县卫生健康局", date=dt.date(2019, 3, 1))  # fmt: skip
    project.add_documents([doc])
    project.segment("paragraph")
    return project


def _qde(codes: str, sources: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="env" origin="MAXQDA 24">
  <Users><User guid="aaaaaaaa-0000-4000-8000-000000000001" name="Li Wei"/></Users>
  <CodeBook><Codes>
    <Code guid="c0000000-0000-4000-8000-000000000001" name="共生环境" isCodable="false">{codes}</Code>
  </Codes></CodeBook>
  <Sources>{sources}</Sources>
</Project>"""


GOOD = (
    '<Code guid="c0000000-0000-4000-8000-000000000002" name="政策环境" isCodable="false">'
    '<Code guid="c0000000-0000-4000-8000-000000000003" name="医保支付政策" isCodable="true"/>'
    "</Code>"
)
NO_GROUP = '<Code guid="c0000000-0000-4000-8000-000000000004" name="远程医疗" isCodable="true"/>'
BAD_GROUP = (
    '<Code guid="c0000000-0000-4000-8000-000000000005" name="法律环境" isCodable="false">'
    '<Code guid="c0000000-0000-4000-8000-000000000006" name="医师法" isCodable="true"/>'
    "</Code>"
)
SRC = "sources/5a000000-0000-4000-8000-000000000001.txt"


def test_a_hand_written_file_reads_each_answer_with_its_group(tmp_path):
    with _project(tmp_path / "tiny.sqlite") as p:
        # line 3 (offsets 41–61, see test_qdpx.TEXT) coded 医保支付政策 under 政策环境
        sel = _selection(
            "e0000000-0000-4000-8000-000000000001", 41, 62, "c0000000-0000-4000-8000-000000000003"
        )
        path = _write(tmp_path / "env.qdpx", _qde(GOOD, _source(sel)), {SRC: TEXT})
        import_qdpx(p, path, coder="li")
        values = codings(p, coders=["li"])
        # a synonym of 医保差异化支付 (frameworks/symbiosis.yaml), kept as typed in raw_value
        assert values[["value", "raw_value"]].values.tolist() == [
            ["policy:医保差异化支付", "医保支付政策"]
        ]


def test_an_answer_outside_a_known_group_is_refused_naming_its_code(tmp_path):
    with _project(tmp_path / "tiny.sqlite") as p:
        sel = _selection("e0000000-0000-4000-8000-000000000001", 41, 62,
                         "c0000000-0000-4000-8000-000000000004", "c0000000-0000-4000-8000-000000000006")  # fmt: skip
        path = _write(
            tmp_path / "env.qdpx", _qde(GOOD + NO_GROUP + BAD_GROUP, _source(sel)), {SRC: TEXT}
        )
        with pytest.raises(DataError) as err:
            import_qdpx(p, path, coder="li")
        problems = "\n".join(err.value.problems)
        assert (
            "code '共生环境 > 远程医疗'" in problems
            and "answer '远程医疗' has no group" in problems
        )
        assert (
            "code '共生环境 > 法律环境 > 医师法'" in problems
            and "unknown group '法律环境'" in problems
        )
        assert p.query("SELECT count(*) FROM codings")[0][0] == 0
