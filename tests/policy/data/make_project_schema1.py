"""Write ``project_schema1.sqlite``: a project file as ihms wrote it before screening
decisions were stored (project schema 1, ihms at commit 20e37b2).

Run at that commit (``git worktree add /tmp/v1 20e37b2``, then from it
``.venv/bin/python tests/policy/data/make_project_schema1.py``); at a later commit it
writes the current schema instead. Four documents, screened by alice and bob, who
differ on S03 at the title stage (settled by include-if-any); the file keeps only each
document's final status.
"""

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

from ihms.policy.codebook import load_codebook
from ihms.policy.corpus import Document
from ihms.policy.prisma import ScreeningCriteria, screen
from ihms.policy.project import Project
from ihms.policy.screening_reviewers import ScreeningDecision

HERE = Path(__file__).parent
TITLES = {
    "S01": "关于推进医疗联合体建设和发展的指导意见",
    "S02": "关于开展紧密型县域医疗卫生共同体建设试点的通知",
    "S03": "关于做好家庭医生签约服务工作的通知",
    "S04": "关于印发医疗联合体综合绩效考核工作方案的通知",
}


def main() -> None:
    target = HERE / "project_schema1.sqlite"
    docs = [
        Document(
            id=i, file=f"{i}.txt", fmt="txt", sha256=hashlib.sha256(t.encode()).hexdigest(),
            text=t + "。推进医疗联合体建设，促进优质医疗资源下沉。" * 3, encoding="utf-8",
            title=t, date=dt.date(2019, 5, 1), source="卫健委网站",
        )
        for i, t in TITLES.items()
    ]  # fmt: skip
    said = [
        ScreeningDecision("S03", "title", "exclude", "不属于医联体政策", "alice", "alice.csv row 2"),
        ScreeningDecision("S04", "fulltext", "exclude", "考核方案，非政策文件", "alice", "alice.csv row 3"),
        ScreeningDecision("S04", "fulltext", "exclude", "考核方案，非政策文件", "bob", "bob.csv row 2"),
    ]  # fmt: skip
    result = screen(
        docs, decisions=said, settle={"title": "include-if-any"},
        criteria=ScreeningCriteria(date_to=dt.date(2021, 12, 31)),
    )  # fmt: skip
    target.unlink(missing_ok=True)
    with Project.create(target, load_codebook("6d"), name="schema 1") as p:
        p.add_documents(docs)
        p.set_screening(result)
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    conn.execute("VACUUM")
    conn.close()


if __name__ == "__main__":
    main()
