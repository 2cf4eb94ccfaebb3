"""The data set carries each document's issuer (发文机关), document number (文号) and
release date when the metadata has them (session 21, user review A, finding 3: a
paper's data set needs them beside the codes)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ihms.policy.codebook import load_codebook
from ihms.policy.corpus import Document
from ihms.policy.dataset import analysis_dataset
from ihms.policy.project import Project


def _project(path, **meta) -> Project:
    p = Project.create(path, load_codebook("6d"))
    text = "关于推进医疗联合体建设的通知\n各地要加快推进医联体建设。\n要完善分级诊疗制度。"
    p.add_documents([Document(id="d1", file="d1.txt", fmt="txt", sha256="d1", text=text, **meta)])
    p.segment("paragraph")
    return p


def test_issuer_number_and_date_follow_the_title(tmp_path):
    p = _project(tmp_path / "p.sqlite", issuer="国家卫生健康委、国家中医药局",
                 doc_number="国卫医发〔2017〕24号", date=dt.date(2017, 4, 26))  # fmt: skip
    try:
        ds = analysis_dataset(p)
        zh = analysis_dataset(p, lang="zh")
    finally:
        p.close()
    cols = list(ds.frame.columns)
    assert cols[cols.index("title") + 1 : cols.index("title") + 4] == [
        "issuer", "doc_number", "date",
    ]  # fmt: skip
    assert set(ds.frame["issuer"]) == {"国家卫生健康委、国家中医药局"}
    assert set(ds.frame["doc_number"]) == {"国卫医发〔2017〕24号"}
    assert set(ds.frame["date"]) == {"2017-04-26"}  # ISO text: every format reads it
    assert [ds.variable_labels[c] for c in ("issuer", "doc_number", "date")] == [
        "Issuer", "Document number", "Release date",
    ]  # fmt: skip
    assert [zh.variable_labels[c] for c in ("issuer", "doc_number", "date")] == [
        "发文机关", "发文字号", "发布日期",
    ]  # fmt: skip


def test_a_corpus_without_them_gets_no_empty_columns(tmp_path):
    p = _project(tmp_path / "p.sqlite", date=dt.date(2017, 4, 26))
    try:
        frame = analysis_dataset(p).frame
    finally:
        p.close()
    assert "issuer" not in frame and "doc_number" not in frame
    assert list(frame["date"]) == ["2017-04-26"] * len(frame)


def test_spss_and_stata_keep_them(tmp_path):
    p = _project(tmp_path / "p.sqlite", issuer="国务院办公厅", doc_number="国办发〔2017〕32号",
                 date=dt.date(2017, 4, 23))  # fmt: skip
    try:
        ds = analysis_dataset(p)
    finally:
        p.close()
    import pyreadstat

    ds.write(tmp_path / "codes.sav")
    back, meta = pyreadstat.read_sav(tmp_path / "codes.sav")
    assert set(back["doc_number"]) == {"国办发〔2017〕32号"}
    assert meta.column_names_to_labels["issuer"] == "Issuer"
    ds.write(tmp_path / "codes.dta")
    assert set(pd.read_stata(tmp_path / "codes.dta")["date"]) == {"2017-04-23"}


ISSUER_DIMENSION = """
name: own
dimensions:
  - key: issuer
    en: Issuing body coded by hand
    zh: 发文主体
    kind: closed
    categories:
      - {key: health, en: Health, zh: 卫生}
      - {key: other, en: Other, zh: 其他}
  - key: date
    en: Year
    zh: 年份
    kind: year
    source: metadata
    derive: {field: date}
"""


def test_a_dimension_named_like_a_metadata_column_keeps_its_name(tmp_path):
    # review 22a L1: a codebook's own dimension keyed issuer or date was that variable in
    # the data set (and in the user's SPSS/Stata syntax) until the documents' issuer and
    # date columns came: then it was renamed issuer_2 / date_2. The metadata column
    # gives way now.
    from ihms.policy.codebook import parse_codebook

    p = Project.create(tmp_path / "p.sqlite", parse_codebook(ISSUER_DIMENSION))
    text = "关于推进医疗联合体建设的通知\n各地要加快推进医联体建设。"
    doc = Document(id="d1", file="d1.txt", fmt="txt", sha256="d1", text=text,
                   issuer="国务院办公厅", date=dt.date(2017, 4, 23))  # fmt: skip
    try:
        p.add_documents([doc])
        p.segment("paragraph")
        ds = analysis_dataset(p)
    finally:
        p.close()
    assert ds.variable_labels["issuer"] == "Issuing body coded by hand"
    assert ds.variable_labels["date"] == "Year"
    assert set(ds.frame["date"]) == {2017.0}
    assert ds.variable_labels["issuer_2"] == "Issuer"
    assert set(ds.frame["date_2"]) == {"2017-04-23"}
