"""What ``ihms policy autocode evaluate`` and ``rules --evaluate`` write: the evaluation
table as a file (the codebook's names, intervals, notes on how it was run) and the
held-out predictions beside it."""

from __future__ import annotations

from pathlib import Path


def write_evaluation(ev, out: Path) -> None:
    """``ev`` (a :class:`~ihms.policy.autocode.ProjectEvaluation`) to ``out``: a
    ``.csv`` of the table; a workbook of the table (title, names, notes below) and a
    ``predictions`` sheet, each held-out segment with its document, fold, the reconciled
    and the machine's code (and ``twin``, and ``cluster``: the documents its bootstrap
    draws together)."""
    from ihms.summary import SummaryTable
    from ihms.table_files import write_summary_table, write_tables_xlsx

    table = ev.file_table()
    if out.suffix.lower() != ".xlsx":
        write_summary_table(table, out, sheet="evaluation")
        return
    pred = ev.evaluation.predictions.drop(columns="row")
    predictions = SummaryTable(
        pred,
        title="Each held-out segment: its document, fold, reconciled and machine code",
        show_index=False,
        digits=3,
    )
    write_tables_xlsx([("evaluation", table), ("predictions", predictions)], out)
