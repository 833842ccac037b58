"""The 密级 guard: classification marks in what would be sent to a model stop the request (涉密不上网)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

# 绝密★长期, 机密★10年, 秘密★, 秘密 ★ 1 年 (GB/T 9704 marks, also hand-typed with spaces or ☆). The star is what
# makes the mark: 国家秘密, 保密审查, 涉密信息不予公开 are ordinary words in these reports and never match.
_BUILT_IN = r"(?:绝密|机密|秘密)\s*[★☆]\s*(?:\d+\s*(?:年|个月|月|日|天)|长期)?|内部资料"
EXCERPT = 12  # characters shown on either side of a mark


@dataclass(frozen=True)
class SecrecyMark:
    """A classification mark found in material that was about to be sent: where, what, and around it."""

    where: str  # the part of the material, in words: 要点（一、总体情况）, 当前文字, 修改意见…
    text: str
    excerpt: str

    def describe(self) -> str:
        """One line for the clerk: where the mark is and the words around it."""
        return f"{self.where}中的“{self.text}”（……{self.excerpt}……）"


class SecrecyRefused(Exception):
    """A request refused by the 密级 guard; the message names every mark and where it stands."""

    def __init__(self, marks: list[SecrecyMark]) -> None:
        self.marks = marks
        super().__init__(refusal_message(marks))


def refusal_message(marks: list[SecrecyMark]) -> str:
    """The Chinese message for a refused request."""
    shown = "；".join(m.describe() for m in marks[:5])
    more = f"；另有 {len(marks) - 5} 处" if len(marks) > 5 else ""
    return (
        f"发现密级标志，内容没有发送给模型（涉密不上网）：{shown}{more}。"
        "涉密内容请按保密规定在涉密环境中处理；如确属误报，请删去或改写该处后重试，"
        "或在“设置”中调整附加密级词。"
    )


def parse_words(text: str) -> tuple[str, ...]:
    """The extra marks of the settings: one per line (or separated by 、，;), blanks dropped."""
    return tuple(dict.fromkeys(w.strip() for w in re.split(r"[\n、，,;；]+", text) if w.strip()))


@lru_cache(maxsize=32)
def _pattern(extra: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted((w for w in extra if w.strip()), key=len, reverse=True)
    alternatives = [_BUILT_IN, *(re.escape(w.strip()) for w in words)]
    return re.compile("|".join(alternatives))


def scan(text: str, where: str, extra: Iterable[str] = ()) -> list[SecrecyMark]:
    """The marks in one text."""
    if not text:
        return []
    marks = []
    for match in _pattern(tuple(extra)).finditer(text):
        before = text[max(0, match.start() - EXCERPT) : match.start()]
        after = text[match.end() : match.end() + EXCERPT]
        excerpt = " ".join(f"{before}{match.group()}{after}".split())
        marks.append(SecrecyMark(where, match.group(), excerpt))
    return marks


def scan_all(sources: Mapping[str, str], extra: Iterable[str] = ()) -> list[SecrecyMark]:
    """The marks in every source, named by its label; one mark per source and word (a repeated mark is one)."""
    words = tuple(extra)
    found: list[SecrecyMark] = []
    seen: set[tuple[str, str]] = set()
    for where, text in sources.items():
        for mark in scan(text, where, words):
            if (where, mark.text) not in seen:
                seen.add((where, mark.text))
                found.append(mark)
    return found
