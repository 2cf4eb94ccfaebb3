"""A Rayyan export that still holds a document and its reposted duplicate as two
articles of one title: both went to the original, so the second read as a reviewer
deciding it twice ("alice already decided 'N02' in row 4"). Alike decisions are now
counted once for the original, with a note naming the two rows; differing ones are
refused naming both rows, the duplicate and what to do."""

import datetime as dt
from types import SimpleNamespace

import pytest

from ihms.errors import DataError
from ihms.policy.dedupe import Duplicate
from ihms.policy.screening_rayyan import read_rayyan

from .test_screening_rayyan import plain, row, write

TITLE = "国务院办公厅关于推进分级诊疗制度建设的指导意见"
DOCS = [
    SimpleNamespace(id="N02", title=TITLE, date=dt.date(2015, 9, 8)),
    SimpleNamespace(id="X01", title=TITLE, date=dt.date(2015, 9, 8)),
    SimpleNamespace(
        id="N03", title="关于推进医疗联合体建设和发展的指导意见", date=dt.date(2017, 4, 23)
    ),
]
COPY = [Duplicate("X01", "N02", "near-identical text", "Jaccard 0.99")]
BOTH = 'RAYYAN-INCLUSION: {"alice"=>"Included", "bob"=>"Included"}'


def test_alike_decisions_on_the_original_and_its_duplicate_count_once(tmp_path):
    path = write(
        tmp_path,
        row("r1", TITLE, 2015, BOTH),
        row("r2", DOCS[2].title, 2017, BOTH),
        row("r3", TITLE, 2015, BOTH),
    )
    got = read_rayyan(path, DOCS, stage="title", duplicates=COPY)
    assert plain(got.decisions) == [
        ("N02", "title", "include", "", "alice"),
        ("N02", "title", "include", "", "bob"),
        ("N03", "title", "include", "", "alice"),
        ("N03", "title", "include", "", "bob"),
    ]
    assert (
        "articles.csv: rows 2 and 4 are two articles with the title of 'N02' ('N02' and its "
        "duplicate 'X01', left out before screening); alice, bob decided both alike, counted "
        "once for 'N02'"
    ) in got.notes()


def test_differing_decisions_on_them_are_refused_saying_which_rows_and_what_to_do(tmp_path):
    other = 'RAYYAN-INCLUSION: {"alice"=>"Included", "bob"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: 重复'
    path = write(tmp_path, row("r1", TITLE, 2015, BOTH), row("r3", TITLE, 2015, other))
    with pytest.raises(DataError) as err:
        read_rayyan(path, DOCS, stage="title", duplicates=COPY)
    assert err.value.problems == [
        "articles.csv row 3, field 'title': rows 2 and 3 are two articles with the title of "
        "'N02' ('N02' and its duplicate 'X01', left out before screening), and bob decided "
        "them differently (include in row 2, exclude (重复) in row 3); delete the duplicate "
        "in Rayyan or decide both alike, or match by id (--rayyan-id)"
    ]


def test_exclusions_for_different_reasons_name_the_reasons(tmp_path):
    # session 28 diff review: "exclude in row 2, exclude in row 3" hid what differed
    out = 'RAYYAN-INCLUSION: {"alice"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: '
    path = write(
        tmp_path,
        row("r1", TITLE, 2015, out + "重复"),
        row("r3", TITLE, 2015, out + "非政策"),
    )
    with pytest.raises(DataError) as err:
        read_rayyan(path, DOCS, stage="title", duplicates=COPY)
    assert (
        "alice decided them differently (exclude (重复) in row 2, exclude (非政策) in row 3)"
        in (err.value.problems[0])
    )


def test_a_reviewer_deciding_one_article_twice_without_a_duplicate_is_still_refused(tmp_path):
    path = write(
        tmp_path, row("r2", DOCS[2].title, 2017, BOTH), row("r9", DOCS[2].title, 2017, BOTH)
    )
    with pytest.raises(DataError) as err:
        read_rayyan(path, DOCS, stage="title", duplicates=COPY)
    assert (
        err.value.problems[0]
        == "articles.csv row 3, field 'title': alice already decided 'N03' in row 2"
    )
