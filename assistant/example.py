"""The example report shipped with the product, built from the seed report (硤石乡, 2024)."""

from __future__ import annotations

from pathlib import Path

from assistant.format.models import Report, report_from_json

EXAMPLE_PATH = Path(__file__).parent / "data" / "example_2024.json"


def load_example() -> Report:
    """A fresh copy of the example report: the seed's figures, narrative, and a clerk's notes."""
    return report_from_json(EXAMPLE_PATH.read_bytes())
