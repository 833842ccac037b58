"""PEER-SIMILAR: parts that two bodies' reports of one year share (雷同), found without comparing every pair."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.checks.findings import Finding
from assistant.format import layout
from assistant.format.models import Report, derive_short_name

PEER_LIMIT = 0.5  # a part sharing more than half its text with another body's is 雷同
_SHINGLE = 8  # characters per run, as SIMILAR counts last year's text
_MIN_SHINGLES = 30  # a part shorter than this (a sentence or two) is boilerplate, not copying
_STRIP = re.compile(r"[\s\W_\d]+")
# Each top-level narrative part with its sub-parts: bodies split 一 and 五 into sub-parts differently.
_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (top, (top, *(p.key for p in layout.children_of(top)))) for top in layout.TOP_PARTS
)


def body_key(agency: str) -> str:
    """One body under its long and its short name: 淮安市洪泽区人民政府 and 洪泽区人民政府 are one."""
    return derive_short_name("".join(agency.split()))


def shingles(text: str) -> set[str]:
    """The text's 8-character runs, punctuation, spaces and digits left out (figures differ between bodies)."""
    flat = _STRIP.sub("", text)
    return {flat[i : i + _SHINGLE] for i in range(len(flat) - _SHINGLE + 1)}


@dataclass
class _Match:
    share: float
    other: str


def _similar_pairs(sets: list[set[str]]) -> list[tuple[int, int, int]]:
    """(i, j, |Si ∩ Sj|) for every pair where either set has more than PEER_LIMIT of its runs in the other.

    Prefix filtering, exact: if more than half of A is in B, then any |A| − ⌊|A|/2⌋ runs of A include one in B.
    Each set indexes only that many runs, its rarest (so the lists stay short), every run of every set probes the
    index, and only the pairs found are intersected: no two reports are compared whole unless they share a rare run.
    """
    frequency: Counter[str] = Counter()
    for s in sets:
        frequency.update(s)
    index: defaultdict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        needed = math.floor(PEER_LIMIT * len(s)) + 1  # runs in common for A's share to exceed the limit
        for run in sorted(s, key=frequency.__getitem__)[: len(s) - needed + 1]:
            index[run].append(i)
    candidates: set[tuple[int, int]] = set()
    for j, s in enumerate(sets):
        for run in s:
            for i in index.get(run, ()):
                if i != j:
                    candidates.add((min(i, j), max(i, j)))
    pairs = []
    for i, j in candidates:
        common = len(sets[i] & sets[j])
        if common > PEER_LIMIT * len(sets[i]) or common > PEER_LIMIT * len(sets[j]):
            pairs.append((i, j, common))
    return pairs


def find_peer_similar(reports: Sequence[tuple[str, Report]]) -> dict[str, list[Finding]]:
    """PEER-SIMILAR findings by file name: per file and part, the other bodies' reports of its year it copies."""
    by_year: defaultdict[int, list[tuple[str, Report]]] = defaultdict(list)
    for name, report in reports:
        by_year[report.year].append((name, report))
    found: defaultdict[str, list[Finding]] = defaultdict(list)
    for group in by_year.values():
        if len(group) < 2:
            continue
        bodies = [body_key(r.agency) for _, r in group]
        for top, family in _FAMILIES:
            members: list[int] = []
            sets: list[set[str]] = []
            for n, (_, report) in enumerate(group):
                runs = shingles("\n".join(report.parts[k].text for k in family))
                if len(runs) >= _MIN_SHINGLES:
                    members.append(n)
                    sets.append(runs)
            matches: defaultdict[int, list[_Match]] = defaultdict(list)
            for i, j, common in _similar_pairs(sets):
                a, b = members[i], members[j]
                if bodies[a] and bodies[a] == bodies[b]:
                    continue  # one body twice is a duplicate, not copying
                for me, other, size in ((a, b, len(sets[i])), (b, a, len(sets[j]))):
                    if common > PEER_LIMIT * size:
                        matches[me].append(_Match(common / size, group[other][0]))
            for n, found_matches in matches.items():
                found_matches.sort(key=lambda m: (-m.share, m.other))
                found[group[n][0]].append(_finding(top, found_matches))
    return dict(found)


def _finding(top: str, matches: list[_Match]) -> Finding:
    best = matches[0]
    heading = layout.PART_BY_KEY[top].heading
    more = ""
    if len(matches) > 1:
        names = "、".join(m.other for m in matches[1:4])
        more = (
            f"；另有{len(matches) - 1}份报告的这一部分也与它相似（{names}{'等' if len(matches) > 4 else ''}）"
        )
    return Finding(
        "PEER-SIMILAR",
        "warning",
        (f"part.{top}",),
        f"“{heading}”有{best.share:.0%}的文字与同年度的另一份报告 {best.other} 的“{heading}”相同（雷同），"
        f"考核会扣分，请改写{more}",
        PEER_LIMIT,
        round(best.share, 3),
    )
