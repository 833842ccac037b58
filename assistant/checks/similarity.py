"""How much of one text another repeats, by shared 8-character runs: SIMILAR (last year) and PEER-SIMILAR (雷同)."""

from __future__ import annotations

import re

RUN = 8  # characters per run
SIMILAR_LIMIT = 0.5  # a part repeating more than half of last year's runs is flagged (SIMILAR)
_STRIP = re.compile(r"[\s\W_\d]+")


def flatten(text: str) -> str:
    """The text without punctuation, spaces and digits: figures differ between years and bodies, words are compared."""
    return _STRIP.sub("", text)


def runs_of(flat: str) -> set[str]:
    """The 8-character runs of a flattened text."""
    return {flat[i : i + RUN] for i in range(len(flat) - RUN + 1)}


def runs(text: str) -> set[str]:
    """The 8-character runs of a text, punctuation, spaces and digits ignored."""
    return runs_of(flatten(text))


def share(mine: set[str], theirs: set[str]) -> float:
    """The share of these runs found among the others' (0 for a text too short to have any)."""
    return len(mine & theirs) / len(mine) if mine else 0.0


def similarity(text: str, previous_text: str) -> float:
    """The share of this text's 8-character runs (punctuation and digits ignored) found in the previous text."""
    return share(runs(text), runs(previous_text))
