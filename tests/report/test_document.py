"""What a user sees of a report at a prompt: one line each, not the images' bytes."""

from __future__ import annotations

import pandas as pd

from ihms.report import Report, Section


def test_report_parts_repr_in_one_line():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    report = Report(title="Demo")
    section = report.add(
        Section("its", "Interrupted time series", mirrors="Zhong et al. 2023, Table 3")
    )
    section.text("One paragraph.").text("Another.")
    section.table("coef", pd.DataFrame({"coef": [1.0, 2.0, 3.0]}), title="Coefficients")
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    section.figure("series", fig, caption="A line")
    table, figure = section.tables()[0], section.figures()[0]
    # before: the figure printed its PNG's bytes (~200,000 characters for a demo figure)
    # and the report every section's prose, tables and images
    assert repr(figure) == f"<Figure: name='series', fmt='png', size={len(figure.data)}>"
    assert repr(table) == "<Table: name='coef', title='Coefficients', rows=3>"
    assert repr(section) == (
        "<Section: id='its', title='Interrupted time series', paragraphs=2, tables=1, figures=1>"
    )
    assert repr(report) == "<Report: title='Demo', sections=('its',)>"
