"""Start next year's report from last year's: agency data, carry-over and the 现行有效 baseline; the rest blank."""

from __future__ import annotations

from assistant.checks.fill import fill_cells
from assistant.format import layout
from assistant.format.models import Report


def start_next_year(last: Report) -> Report:
    """A new report for the year after: 四、结转 becomes 二、上年结转, 现行有效 starts from last year's.

    Every other cell the clerk types starts blank (rule BLANK lists it) rather than 0: an untouched 0 would pass
    as a reported figure.
    """
    cells = fill_cells(last.cells)
    report = Report(
        agency=last.agency,
        short_name=last.short_name,
        year=last.year + 1,
        compiler=last.compiler,
        published_at=last.published_at,
        contact_address=last.contact_address,
        contact_phone=last.contact_phone,
        body_font=last.body_font,
        origin="form",
    )
    for col, _ in layout.T3_COLUMNS:
        report.cells[layout.t3("carried_in", col)] = cells[layout.t3("carried_out", col)]
    report.cells[layout.t3("carried_in", "total")] = None  # derived from the columns again
    for row, _ in layout.T2_BLOCKS[0].rows:
        # The baseline the clerk adjusts by this year's 制发 and 废止; YOY-VALID checks the result.
        report.cells[layout.t2(row, "valid")] = cells[layout.t2(row, "valid")]
    return report
