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

__all__ = ["provenance_line", "references"]


def _git(*args: str) -> str:
    root = Path(ihms.__file__).resolve().parents[2]
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, timeout=10
    )
    return done.stdout.strip()


def _commit() -> str:
    """``commit 4a7d4b0`` (``+ local changes`` when the tree differs from it), or
    ``not a git checkout`` (an installed wheel)."""
    try:
        sha = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "not a git checkout"
    return f"commit {sha}" + (" + local changes" if dirty else "")


def provenance_line(config: Path, seed: int, *, lang: str = "en") -> str:
    """'ihms 0.1.0, commit 4a7d4b0; simulation config examples/youxi_sim.yaml (sha256
    1a2b3c4d5e6f); random seed 20171001.' (``lang="zh"``: '…；模拟配置 …；随机种子 …。')"""
    digest = hashlib.sha256(config.read_bytes()).hexdigest()[:12]
    try:
        shown = config.resolve().relative_to(Path.cwd())
    except ValueError:
        shown = config
    if lang == "zh":
        commit = (
            _commit()
            .replace(" + local changes", " + 本地改动")
            .replace("not a git checkout", "非 git 检出")
        )
        return (
            f"ihms {ihms.__version__}，{commit}；模拟配置 {shown.as_posix()}"
            f"（sha256 {digest}）；随机种子 {seed}。"
        )
    return (
        f"ihms {ihms.__version__}, {_commit()}; simulation config {shown.as_posix()} "
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
    said = "［ihms 源研究 {i}］" if report.lang == "zh" else " [ihms source study {i}]"
    return tuple(f"{reference(i)}{said.format(i=i)}" for i in study_ids_cited(_all_text(report)))
