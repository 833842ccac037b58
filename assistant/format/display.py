"""How a cell is shown, in the grid, the preview and the Word file alike: typed text as typed, blank as empty."""

from __future__ import annotations

from collections.abc import Mapping

from assistant.format import layout
from assistant.format.models import Report


def cell_text(report: Report, key: str, cells: Mapping[str, int | None] | None = None) -> str:
    """A cell as printed: the clerk's text where it is no figure, else the figure (from `cells`, the report's
    own when not given), the fee in 万元 as a plain decimal, a blank cell as an empty string (never 0)."""
    if key in report.raw_cells:
        return report.raw_cells[key]
    if key == layout.FEE_CELL:
        return "" if report.fee_amount_wan is None else format(report.fee_amount_wan, "f")
    value = (report.cells if cells is None else cells).get(key)
    return "" if value is None else str(value)
