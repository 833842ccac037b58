"""The difference between a part's current text and a candidate, as HTML with removed and added text marked."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+|\n|$)")
# Past this many characters a changed stretch is shown as removed and added whole: a character diff of two long,
# unrelated stretches costs quadratic time and shows nothing a reader could use.
_CHAR_DIFF_LIMIT = 600
_SIMILAR_ENOUGH = (
    0.5  # below this share of common characters a changed stretch is shown removed and added whole
)
# Inline styles: the page shows the HTML as it is, with no style sheet of its own; colour is doubled by the marks.
_DEL = "background:#fde2e2;color:#a40000;text-decoration:line-through"
_INS = "background:#dcf5dc;color:#05600c;text-decoration:underline"


@dataclass(frozen=True)
class Diff:
    """A diff ready to show: the HTML, and how many characters were removed and added."""

    html: str
    removed: int
    added: int

    @property
    def same(self) -> bool:
        return not (self.removed or self.added)


def sentences(text: str) -> list[str]:
    """The text cut after each sentence end (。！？；) and line break; joined again they give the text back."""
    return [s for s in _SENTENCE.findall(text) if s]


def _escaped(text: str) -> str:
    return html.escape(text).replace("\n", "↵<br>")


class _Out:
    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.removed = self.added = 0

    def same(self, text: str) -> None:
        if text:
            self.pieces.append(_escaped(text))

    def removed_text(self, text: str) -> None:
        if text:
            self.removed += len(text)
            self.pieces.append(f'<del style="{_DEL}" title="删去">{_escaped(text)}</del>')

    def added_text(self, text: str) -> None:
        if text:
            self.added += len(text)
            self.pieces.append(f'<ins style="{_INS}" title="新增">{_escaped(text)}</ins>')


def _characters(old: str, new: str, out: _Out) -> None:
    """A changed stretch: by characters when short enough to be worth it, else removed and added whole."""
    if len(old) + len(new) > _CHAR_DIFF_LIMIT:
        out.removed_text(old)
        out.added_text(new)
        return
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    if matcher.ratio() < _SIMILAR_ENOUGH:
        # Rewritten rather than edited: scattered common characters would only chop both into noise.
        out.removed_text(old)
        out.added_text(new)
        return
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.same(old[a0:a1])
        else:
            out.removed_text(old[a0:a1])
            out.added_text(new[b0:b1])


def diff(old: str, new: str) -> Diff:
    """Sentences first (a rewritten report moves whole sentences), characters inside a changed stretch."""
    out = _Out()
    a, b = sentences(old), sentences(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.same("".join(a[a0:a1]))
        elif op == "delete":
            out.removed_text("".join(a[a0:a1]))
        elif op == "insert":
            out.added_text("".join(b[b0:b1]))
        else:
            _characters("".join(a[a0:a1]), "".join(b[b0:b1]), out)
    return Diff("".join(out.pieces), out.removed, out.added)
