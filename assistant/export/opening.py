"""The opening paragraph (before 一、总体情况): as written, or composed from the report's facts."""

from __future__ import annotations

from assistant.format import layout
from assistant.format.models import Report


def compose_opening(report: Report) -> str:
    """The opening paragraph from the facts: who compiled it, the period, where published, whom to ask."""
    contact = "；".join(
        template.format(getattr(report, name))
        for name, template in layout.CONTACT_PARTS
        if getattr(report, name)
    )
    values = {
        "compiler": report.compiler or report.agency,
        "year": report.year,
        "published_at": report.published_at,
        "contact": contact,
        "contact_who": report.compiler or report.agency,
    }
    return "".join(
        template.format(**values)
        for name, template in layout.OPENING_CLAUSES
        if values[name] or name == "year"
    )


def opening_of(report: Report) -> str:
    """The opening paragraph the report prints: the clerk's own text when there is one."""
    return report.preamble.strip() or compose_opening(report)
