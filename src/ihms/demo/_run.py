from __future__ import annotations

import importlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ihms.report import Report, Section, write_report
from ihms.sources import JIA_2021, VIHQMR_STUDY, VIHQMR_STUDY_ZH, YU_2024, ZHONG_2023

__all__ = ["STEPS", "DemoContext", "Step", "run_demo"]


@dataclass
class DemoContext:
    """What every demo step can see.

    Attributes
    ----------
    out_dir
        Where the report is written.
    work_dir
        Where a step writes the stores and files it builds: during :func:`run_demo`, a
        hidden staging folder that replaces the work folder when the report is complete.
    final_work_dir
        The work folder the files end in (kept after the run for inspection), which the
        report's text names; None: ``work_dir`` itself.
    seed
        Seed for every random generator in the run.
    artefacts
        Results a step leaves for later steps, by name.
    sim_config
        The simulation config the county is simulated from; None: the bundled
        ``examples/youxi_sim.yaml``.
    lang
        The report's language, ``"en"`` or ``"zh"``: every step writes its prose, titles,
        captions and tables in it (:meth:`pick`); the numbers are the same.
    """

    out_dir: Path
    work_dir: Path
    seed: int = 20171001
    sim_config: Path | None = None
    artefacts: dict[str, Any] = field(default_factory=dict)
    final_work_dir: Path | None = None
    lang: str = "en"

    @property
    def zh(self) -> bool:
        """Whether the report is written in Chinese."""
        return self.lang == "zh"

    def pick(self, en: str, zh: str) -> str:
        """``en`` or ``zh``, whichever is the report's language.

        Parameters
        ----------
        en, zh
            The same words in English and in Chinese.

        Returns
        -------
        str
            One of them.

        >>> DemoContext(Path("out"), Path("work"), lang="zh").pick("visits", "诊疗人次")
        '诊疗人次'
        """
        return zh if self.zh else en

    @property
    def shown_work_dir(self) -> Path:
        """The work folder as the report names it (:attr:`final_work_dir`)."""
        return self.work_dir if self.final_work_dir is None else self.final_work_dir

    def fresh_file(self, name: str) -> Path:
        """A work file to write anew, the previous run's copy (and DuckDB's write-ahead
        log) removed first: a database rewritten in place keeps its old blocks, and the
        work folder would grow with every run.

        Parameters
        ----------
        name
            File name inside the work folder (``store.duckdb``).

        Returns
        -------
        Path
            Its path in the work folder; no file is there.
        """
        path = self.work_dir / name
        for old in (path, path.with_name(f"{path.name}.wal")):
            old.unlink(missing_ok=True)
        return path


@dataclass(frozen=True)
class Step:
    """One demo step: ``module:function`` taking a :class:`DemoContext` and returning
    report sections. Imported lazily so ``ihms --help`` stays fast. A step marked
    ``first`` runs in its turn but its sections open the report (the brief, written last
    from what the other steps found)."""

    key: str
    label: str
    target: str
    first: bool = False
    label_zh: str = ""

    def shown(self, lang: str = "en") -> str:
        """The progress bar's label in a language.

        Parameters
        ----------
        lang
            ``"en"`` or ``"zh"``; the English label where no Chinese one is given.

        Returns
        -------
        str
            :attr:`label_zh` or :attr:`label`.
        """
        return self.label_zh if lang == "zh" and self.label_zh else self.label

    def load(self) -> Callable[[DemoContext], list[Section]]:
        module, func = self.target.split(":")
        return getattr(importlib.import_module(module), func)


# The order is the report's order. Later steps may read what earlier ones left in
# ``ctx.artefacts``.
STEPS: list[Step] = [
    Step(
        "sim",
        f"County simulation ({ZHONG_2023}, Tables 2-5)",
        "ihms.demo._sim:sim_sections",
        label_zh=f"县域模拟（{ZHONG_2023}，表2至表5）",
    ),
    Step(
        "indicators",
        f"Indicators ({ZHONG_2023}, Tables 4-5; {JIA_2021}, Table 2)",
        "ihms.demo._indicators:indicators_sections",
        label_zh=f"指标（{ZHONG_2023}，表4至表5；{JIA_2021}，表2）",
    ),
    Step(
        "payment",
        "Payment: budgets, settlement, ledger",
        "ihms.demo._payment:payment_sections",
        label_zh="支付：预算、结算、台账",
    ),
    Step(
        "its",
        f"Interrupted time series ({ZHONG_2023}, Table 3)",
        "ihms.demo._its:run",
        label_zh=f"中断时间序列（{ZHONG_2023}，表3）",
    ),
    Step(
        "policy",
        f"Policy content analysis ({YU_2024} and {VIHQMR_STUDY})",
        "ihms.demo._policy:policy_sections",
        label_zh=f"政策内容分析（{YU_2024}；{VIHQMR_STUDY_ZH}）",
    ),
    Step(
        "autocode",
        f"Machine-assisted coding ({YU_2024})",
        "ihms.demo._autocode:autocode_sections",
        label_zh=f"机器辅助编码（{YU_2024}）",
    ),
    Step(
        "brief",
        "The brief for a health commission",
        "ihms.demo._brief:brief_sections",
        True,
        label_zh="致卫生健康委员会的简报",
    ),
    Step("next", "Use it on your county", "ihms.demo._next:next_sections", label_zh="在本县应用"),
]


def run_demo(
    out_dir: str | Path = "out/demo",
    *,
    seed: int = 20171001,
    steps: list[Step] | None = None,
    progress: Callable[[Step, int, int], None] | None = None,
    sim_config: str | Path | None = None,
    told: Callable[[str], None] | None = None,
    lang: str = "en",
) -> Path:
    """Run every demo step and write the report; return the path of ``report.html``.

    Parameters
    ----------
    out_dir
        Output folder. It and the work folder beside it (``<out_dir>-work``: the stores
        and files the steps build) are built in hidden staging folders and replace the
        earlier ones together at the end, so a failed or interrupted run leaves any
        earlier report and its work folder as they were, and no staging folder. Whether
        both can be replaced is checked before the first step (a symbolic link is
        refused). The staging folders a killed earlier run left beside them (SIGKILL
        runs no clean-up) are removed first, and said through ``told``.
    seed
        Seed for the whole run; the same seed gives the same report numbers.
    steps
        Steps to run (default: all of :data:`STEPS`).
    progress
        Called before each step with ``(step, index, total)``.
    sim_config
        The simulation config to simulate the county from (e.g. a copy of
        ``examples/youxi_sim.yaml`` with another reform month); None: that file.
    told
        Called with a sentence for the user (the staging folders removed).
    lang
        ``"en"`` or ``"zh"``: the report's language (:attr:`DemoContext.lang`); the
        numbers are the same in both.
    """
    from ihms._atomic import check_replaceable, staging_folder
    from ihms._run_folders import clear_dead_runs
    from ihms._words import check_lang

    check_lang(lang)
    out_dir = Path(out_dir)
    steps = list(STEPS if steps is None else steps)
    work_dir = out_dir.parent / f"{out_dir.name}-work"
    check_replaceable(out_dir, where="output folder")
    check_replaceable(work_dir, where="work folder")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for folder in (out_dir, work_dir):  # only those of runs no longer running
        if (cleared := clear_dead_runs(folder)) and told is not None:
            names = ", ".join(p.name for p in cleared)
            told(f"removed the staging folders a killed earlier run left beside {folder}: {names}")
    staged_work = staging_folder(work_dir)
    try:
        return _run(out_dir, work_dir, staged_work, steps, seed, progress, sim_config, lang)
    finally:  # swapped in: gone from here; else the failed run's files
        shutil.rmtree(staged_work, ignore_errors=True)


def _run(out_dir, work_dir, staged_work, steps, seed, progress, sim_config, lang) -> Path:
    ctx = DemoContext(
        out_dir=out_dir,
        work_dir=staged_work,
        final_work_dir=work_dir,
        seed=seed,
        sim_config=None if sim_config is None else Path(sim_config),
        lang=lang,
    )
    report = Report(
        title=ctx.pick(
            "ihms demo: integrated health care in a Youxi-like county",
            "ihms 演示：一个类尤溪县的整合型医疗卫生服务",
        ),
        subtitle=ctx.pick(
            "Every number below is computed by ihms from the example data bundled with "
            "the project, except the published figures it is set against (each section "
            "says which table it mirrors) and the benchmark figures the text names as such.",
            "下文每个数字都由 ihms 从项目自带的示例数据算出；例外的是用来对照的已发表数字"
            "（各节注明对应哪张表）和正文注明为基准测试结果的数字。",
        ),
        lang=lang,
    )
    # said before the steps run: the commit and config are those the run started from
    from ihms.demo._provenance import provenance_line
    from ihms.sim.load import example_file  # here, not at the top: `ihms --help` stays fast

    config = ctx.sim_config if ctx.sim_config is not None else example_file("youxi_sim.yaml")
    made = provenance_line(config, seed, lang=lang)
    opening, rest = [], []
    for i, step in enumerate(steps):
        if progress is not None:
            progress(step, i, len(steps))
        (opening if step.first else rest).extend(step.load()(ctx))
    for section in opening + rest:
        report.add(section)
    from ihms.demo._provenance import references

    report.references = references(report)
    report.sheet_note = ctx.pick(
        "ihms demo: computed from the bundled example data (a simulated Youxi-like county, "
        "example policy texts); figures from a published study are named by their source. "
        "See report.html beside this file.",
        "ihms 演示：由项目自带的示例数据（模拟的类尤溪县、示例政策文本）算出；"
        "引自已发表研究的数字注明出处。详见本文件旁的 report.html。",
    )
    report.provenance = made
    _close_stores(ctx)
    return write_report(report, out_dir, along=[(staged_work, work_dir)])


def _close_stores(ctx: DemoContext) -> None:
    """Close the data stores steps left open, so their files are whole (DuckDB's log
    checkpointed) before the work folder is moved into place."""
    from ihms.data import Store

    for value in ctx.artefacts.values():
        if isinstance(value, Store):
            value.close()
