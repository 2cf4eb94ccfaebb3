"""Helpers of ``ihms sim run`` for its ``--out`` folder: what an earlier store there
holds, and the ``summary.json`` left when a run fails or is interrupted."""

from __future__ import annotations

import json
from pathlib import Path

from ihms._atomic import write_text_whole
from ihms._words import said
from ihms.cli._common import console, print_path
from ihms.errors import InputError

#: Said where the run's tables are written: what its resources table leaves empty
#: (:data:`ihms.sim.resources.UNRECORDED`) and which indicators that leaves missing.
UNRECORDED_NOTE = (
    "The run's resources table leaves consultation income and total expense empty (not "
    "simulated), so the THC consultation-fee and personnel-cost shares are missing, not 0."
)


def earlier_store(target: Path, replace: bool) -> str | None:
    """What ``target`` holds that this run will replace (``None``: nothing), checked
    before simulating: an earlier simulation's data set (made by the simulator, as the
    store records its producer, with synthetic ids) is replaced, anything else only with
    ``--replace`` — ``ihms data generate``'s synthetic data and imports included."""
    from ihms.data import Store
    from ihms.sim.resources import PRODUCER

    if not target.exists():
        return None
    with Store(target, read_only=True) as store:
        held = store.contents()
        if held is None:
            return None
        try:
            info = store.info()
        except InputError:  # tables ihms did not write, or another schema version
            info = None
    simulated = info is not None and info.producer == PRODUCER and info.id_scheme == "synthetic"
    if not simulated and not replace:
        raise InputError(
            f"option '--out': {target} already holds {held}, not an earlier simulation; "
            "pass --replace to replace it, or give another --out"
        )
    return held


def interrupted(out: Path, target: Path, fmt: str, run: dict, *, cause: str, progress: dict):
    """Leave ``out`` described after Ctrl-C or SIGTERM (``write_interrupted_summary``) and
    say so on stderr; the exit code stays the interruption's (130, 143)."""
    from ihms.cli._common import note
    from ihms.sim.outputs import SUMMARY, write_interrupted_summary

    written = write_interrupted_summary(out, target, fmt, run, cause=cause, progress=progress)
    if written["data_complete"]:
        kept = "its data are complete"
    elif written["data"] is not None:
        kept = f"no data of it were kept; {out} keeps run {written['data_run_id']}'s data"
    else:
        kept = "no data of it were kept"
    note(f"run {run['run_id']} interrupted ({cause}); {kept}; {out / SUMMARY} says so")


def failed_summary(path: Path, run_id: str, target: Path, exc: Exception) -> None:
    """A ``summary.json`` saying the run failed once its data were in place, and why
    (the error names the file); none if even that cannot be written."""
    failed = {
        "run_id": run_id,
        "status": "failed",
        "error": str(exc) or type(exc).__name__,
        "data": str(target),
    }
    try:
        write_text_whole(path, json.dumps(failed, indent=2))
    except OSError:
        path.unlink(missing_ok=True)


def layout(fmt: str, target: Path) -> dict:
    """Where a run's data are, as ``summary.json`` records it (the store, or the
    tables, ``dataset.json`` and simulation tables of a Parquet folder)."""
    if fmt == "duckdb":
        return {"format": "duckdb", "store": str(target)}
    from ihms.data.io import FOLDER_META

    return {
        "format": "parquet",
        "tables": f"{target}/<table>.parquet",
        "meta": str(target / FOLDER_META),
        "simulation_tables": f"{target}/simulation/<table>.parquet",
    }


def print_run(results, summary: dict, seed_figures, target: Path, earlier, lang: str) -> None:
    """What ``ihms sim run`` prints when the run is done, in ``lang``: its tables, the
    notes on its calibration and rules, and where its data are."""
    from ihms.sim._notes_zh import said_line
    from ihms.sim._words_zh import in_zh

    console.print(in_zh(results.summary(), lang))
    console.print(in_zh(results.spending_summary(), lang))
    if results.settlements:
        # its notes say which years and why
        console.print(in_zh(results.settlement_summary(), lang))
    else:
        console.print(said_line(summary["settled_years"]["note"], lang), highlight=False)
    if seed_figures is not None:
        console.print(in_zh(seed_figures.summary(), lang))
    for note in summary["calibration"]["notes"]:
        console.print(said_line(note, lang), highlight=False, markup=False)
    _say_rules(summary["rules"], results, lang)
    print_path(said(lang, "data written to"), target)
    if earlier is not None:
        console.print(said(lang, "store replaced", earlier=earlier))
    console.print(said_line(UNRECORDED_NOTE, lang), highlight=False)


def _say_rules(used: dict, results, lang: str) -> None:
    """The line naming the rules the run's reform years were (or would be) settled by."""
    if lang == "zh":
        source = "内置" if used["from"] == "built in" else used["from"]
        named = f"规则 {used['name']} v{used['version']}（校验值 {used['digest']}；{source}）"
        settled = f"改革年份按{named}清算。"
        none = f"未清算任何改革年份；{named}可用于清算。"
    else:
        named = f"rules {used['name']} v{used['version']} (digest {used['digest']}; {used['from']})"
        settled = f"Reform years settled under {named}."
        none = f"No reform year was settled; {named} would settle them."
    if results.settlements:
        console.print(settled)
    elif results.regime != results.config.baseline_regime:  # the note above says why none
        console.print(none)
