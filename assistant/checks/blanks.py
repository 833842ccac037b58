"""Rule BLANK: in a report started here, a cell the clerk types that is still blank (blank is never taken as 0)."""

from __future__ import annotations

from operator import itemgetter

from assistant.checks.findings import Finding
from assistant.format import layout
from assistant.format.models import Report

# The cells a clerk types, table by table; derived cells (总计, （七）, 四、结转) are computed when left blank.
TYPED_CELLS: dict[str, tuple[str, ...]] = {
    table: tuple(c.key for c in layout.CELLS if c.table == table and not c.derived) for table in "二三四"
}


# One C-level lookup per table for the usual case, nothing blank: verify runs tens of thousands of times a second.
_COUNTS = {
    table: itemgetter(*(k for k in keys if k != layout.FEE_CELL)) for table, keys in TYPED_CELLS.items()
}


def blank_typed_cells(report: Report, table: str) -> list[str]:
    """The typed cells of one table (二, 三 or 四) that hold nothing: no figure and no text."""
    blanks = []
    for key in TYPED_CELLS[table]:
        value = report.fee_amount_wan if key == layout.FEE_CELL else report.cells[key]
        if value is None and key not in report.raw_cells:  # typed text is a CELL error, not a blank
            blanks.append(key)
    return blanks


def check_blank(report: Report, out: list[Finding]) -> None:
    """One warning per table that still has blank typed cells, naming them; only for reports made here.

    An imported report's blank is what the body printed: its importer notes it (IMPORT), and BLANK would only
    repeat it as if the clerk had forgotten a cell.
    """
    if report.origin != "form":
        return
    for table, counts in _COUNTS.items():
        if None not in counts(report.cells) and (table != "二" or report.fee_amount_wan is not None):
            continue
        blanks = blank_typed_cells(report, table)
        if not blanks:
            continue
        words = "、".join(layout.cell_in_table(k) for k in blanks[:3])
        more = "等" if len(blanks) > 3 else ""
        out.append(
            Finding(
                "BLANK",
                "warning",
                tuple(blanks),
                f"表{table}还有 {len(blanks)} 个单元格未填写（{words}{more}）：空白不按 0 计，没有发生的请填 0",
                0,
                len(blanks),
            )
        )


def count_blank(findings: list[Finding]) -> int:
    """How many typed cells the BLANK findings name, over all tables."""
    return sum(len(f.cells) for f in findings if f.rule == "BLANK")
