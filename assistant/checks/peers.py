"""PEER-SIMILAR: parts that two bodies' reports of one year share (雷同), found without comparing every pair."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat

from assistant.checks.findings import Finding
from assistant.format import layout
from assistant.format.models import Report, derive_short_name

PEER_LIMIT = 0.5  # a part sharing more than half its text with another body's is 雷同
_SHINGLE = 8  # characters per run, as SIMILAR counts last year's text
_MIN_SHINGLES = 60  # a part of fewer runs (about 70 characters) is a sentence of boilerplate, not copying
_STRIP = re.compile(r"[\s\W_\d]+")
# Fingerprints: the runs that start with one character in four (by code point). The choice depends on the text
# alone, so a run shared by two reports is a fingerprint of both or of neither, and a shared passage shares its
# fingerprints; indexing a quarter of the runs makes the index four times smaller and its lists shorter.
_ANCHORS = "".join(
    chr(c) for c in (*range(0x41, 0x7B), *range(0x3400, 0x9FA6)) if c % 4 == 0 and chr(c).isalpha()
)
# Every run that starts with an anchor, overlapping runs included: findall of a lookahead returns them in one call.
_FINGERPRINT = re.compile(f"(?=([{_ANCHORS}].{{{_SHINGLE - 1}}}))", re.S)
_FEW_FINGERPRINTS = 40  # below this an estimate is too rough: any shared fingerprint makes a candidate
_ESTIMATE_FLOOR = 0.25  # above this estimated share a pair is measured exactly (the limit is 0.5)
# Each top-level narrative part with its sub-parts: bodies split 一 and 五 into sub-parts differently.
_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (top, (top, *(p.key for p in layout.children_of(top)))) for top in layout.TOP_PARTS
)


def body_key(agency: str) -> str:
    """One body under its long and its short name: 淮安市洪泽区人民政府 and 洪泽区人民政府 are one."""
    return derive_short_name("".join(agency.split()))


class _Part:
    """A part's text flattened, its fingerprints, and its runs (computed only when a pair is measured)."""

    __slots__ = ("_runs", "fingerprints", "flat")

    def __init__(self, flat: str) -> None:
        self.flat = flat
        self.fingerprints = set(_FINGERPRINT.findall(flat))
        self._runs: set[str] | None = None

    def runs(self, canonical: dict[str, str]) -> set[str]:
        """The runs, each the one string object all parts share for it.

        Shared objects let a set intersection match runs by identity, without reading the strings: across
        hundreds of parts that is what keeps the intersections in the processor's cache (several times faster).
        """
        if self._runs is None:
            flat, get = self.flat, canonical.setdefault
            self._runs = {
                get(run, run) for run in (flat[i : i + _SHINGLE] for i in range(len(flat) - _SHINGLE + 1))
            }
        return self._runs

    def size(self) -> int:
        """How many different runs the part has."""
        return len(self.runs({}))


def _part(text: str) -> _Part | None:
    flat = _STRIP.sub("", text)
    return _Part(flat) if len(flat) - _SHINGLE + 1 >= _MIN_SHINGLES else None


@dataclass
class _Match:
    share: float
    other: str
    exact: bool = True


# A pair whose parts both have this many fingerprints, each share estimated clearly above or below the limit, is
# decided by the estimate (its standard error is under 0.04 there): the 20,000 pairs of 200 bodies filling in one
# template are not intersected one by one. Any other candidate is measured exactly.
_DECISIVE_SAMPLES = 150
_CLEARLY_OVER, _CLEARLY_UNDER = 0.7, 0.3


def _similar_pairs(parts: list[_Part]) -> list[tuple[int, int, float, float, bool]]:
    """(i, j, share of i in j, share of j in i, exact) for each pair where a share is over PEER_LIMIT.

    Shared fingerprints, counted through an inverted index (no pair of texts is compared whole), estimate each
    pair's shares; a pair whose estimate passes a floor well below the limit — or, for a short part, that shares
    any fingerprint — is then measured exactly on all its runs, unless the estimate is decisive. A pair over the
    limit shares about half its fingerprints or more, so it passes the floor except by a chance far smaller than
    one in a thousand.
    """
    index: dict[str, list[int]] = {}
    sizes = [len(p.fingerprints) for p in parts]
    # A pair is looked at when the shared fingerprints exceed either part's floor (0 for a short part).
    floors = [0.0 if n < _FEW_FINGERPRINTS else _ESTIMATE_FLOOR * n for n in sizes]
    pairs = []
    canonical: dict[str, str] = {}
    for j, part in enumerate(parts):
        found = map(index.get, part.fingerprints, repeat(()))
        counts = Counter(chain.from_iterable(found))
        mine = floors[j]
        for i, shared in [(i, shared) for i, shared in counts.items() if shared > mine or shared > floors[i]]:
            share_i, share_j = shared / sizes[i], shared / sizes[j]
            if min(sizes[i], sizes[j]) >= _DECISIVE_SAMPLES and all(
                s >= _CLEARLY_OVER or s <= _CLEARLY_UNDER for s in (share_i, share_j)
            ):
                if max(share_i, share_j) > PEER_LIMIT:
                    pairs.append((i, j, share_i, share_j, False))
                continue
            mine_runs, other_runs = part.runs(canonical), parts[i].runs(canonical)
            common = len(mine_runs & other_runs)
            share_i, share_j = common / len(other_runs), common / len(mine_runs)
            if max(share_i, share_j) > PEER_LIMIT:
                pairs.append((i, j, share_i, share_j, True))
        for f in part.fingerprints:
            index.setdefault(f, []).append(j)
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
            # Reports with the very same text are one part to compare; each pair found covers all their copies.
            copies: dict[str, list[int]] = {}
            for n, (_, report) in enumerate(group):
                flat = _STRIP.sub("", "\n".join(report.parts[k].text for k in family))
                copies.setdefault(flat, []).append(n)
            texts = [flat for flat in copies if len(flat) - _SHINGLE + 1 >= _MIN_SHINGLES]
            found_pairs = _similar_pairs([_Part(flat) for flat in texts])
            found_pairs += [(i, i, 1.0, 1.0, True) for i, flat in enumerate(texts) if len(copies[flat]) > 1]
            matches: defaultdict[int, list[_Match]] = defaultdict(list)
            for i, j, share_i, share_j, exact in found_pairs:
                for a in copies[texts[i]]:
                    for b in copies[texts[j]]:
                        if (i == j and a >= b) or (bodies[a] and bodies[a] == bodies[b]):
                            continue  # each copy pair once; one body twice is a duplicate, not copying
                        for me, other, share in ((a, b, share_i), (b, a, share_j)):
                            if share > PEER_LIMIT:
                                matches[me].append(_Match(share, group[other][0], exact))
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
        f"“{heading}”有{'' if best.exact else '约'}{best.share:.0%}的文字与同年度的另一份报告 {best.other} 的“{heading}”相同（雷同），"
        f"考核会扣分，请改写{more}",
        PEER_LIMIT,
        round(best.share, 3),
    )
