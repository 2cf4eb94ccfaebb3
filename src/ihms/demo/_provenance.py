"""What made the demo's report, for a reader who cites or re-runs it: the ihms version,
the git commit of the source tree (when it is one), the simulation config with its
digest and the random seed; and the reference list of the source studies the report
cites (:mod:`ihms.sources`)."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import ihms
from ihms.report import Report
from ihms.sources import reference, study_ids_cited

__all__ = ["commit_said", "provenance_line", "references"]


def _git(*args: str) -> str:
    root = Path(ihms.__file__).resolve().parents[2]
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, timeout=10
    )
    return done.stdout.strip()


def _commit() -> tuple[str, bool] | None:
    """The short hash of the source tree's commit and whether the tree differs from it;
    None outside a git checkout (an installed wheel)."""
    try:
        sha = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None
    return sha, bool(dirty)


#: What the commit is said as, by language: a commit, one with local changes, none.
_COMMIT = {
    "en": ("commit {sha}", "commit {sha} + local changes", "not a git checkout"),
    "zh": ("提交 {sha}", "提交 {sha}（含本地改动）", "非 git 仓库（安装版）"),
}


def commit_said(commit: tuple[str, bool] | None, lang: str = "en") -> str:
    """``commit 4a7d4b0`` (``+ local changes`` when the tree differs from it), or ``not
    a git checkout``; in Chinese 提交 4a7d4b0（含本地改动） or 非 git 仓库（安装版）.

    >>> commit_said(("4a7d4b0", True), "zh"), commit_said(None)
    ('提交 4a7d4b0（含本地改动）', 'not a git checkout')
    """
    clean, dirty, none = _COMMIT[lang]
    if commit is None:
        return none
    return (dirty if commit[1] else clean).format(sha=commit[0])


def provenance_line(config: Path, seed: int, *, lang: str = "en") -> str:
    """'ihms 0.1.0, commit 4a7d4b0; simulation config examples/youxi_sim.yaml (sha256
    1a2b3c4d5e6f); random seed 20171001.' (``lang="zh"``: '…，提交 4a7d4b0；模拟配置 …；随机种子 …。')"""
    digest = hashlib.sha256(config.read_bytes()).hexdigest()[:12]
    try:
        shown = config.resolve().relative_to(Path.cwd())
    except ValueError:
        shown = config
    commit = commit_said(_commit(), lang)
    if lang == "zh":
        return (
            f"ihms {ihms.__version__}，{commit}；模拟配置 {shown.as_posix()}"
            f"（sha256 {digest}）；随机种子 {seed}。"
        )
    return (
        f"ihms {ihms.__version__}, {commit}; simulation config {shown.as_posix()} "
        f"(sha256 {digest}); random seed {seed}."
    )


def _all_text(report: Report) -> str:
    parts = [report.title, report.subtitle]
    for section in report.sections:
        parts += [section.title, section.mirrors]
        for block in section.blocks:
            table = getattr(block, "table", None)
            if table is not None:
                frame = table.frame
                parts += [table.title, *table.notes, *map(str, frame.columns)]
                parts += [*map(str, frame.index), *map(str, frame.to_numpy().ravel())]
            parts.append(getattr(block, "text", "") or getattr(block, "caption", ""))
    return "\n".join(p for p in parts if isinstance(p, str))


def references(report: Report) -> tuple[str, ...]:
    """The reference-list entries of the source studies ``report`` cites, each saying
    the id ihms's code and tests know the study by (in the report's language)."""
    lang = "zh" if report.lang == "zh" else "en"
    said = "［ihms 源研究 {i}］" if lang == "zh" else " [ihms source study {i}]"
    return tuple(
        f"{reference(i, lang=lang)}{said.format(i=i)}" for i in study_ids_cited(_all_text(report))
    )
