"""PEER-SIMILAR: parts that two bodies' reports of one year share (雷同), found without comparing every pair."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from assistant.checks.findings import Finding
from assistant.format import layout
from assistant.format.models import Report, derive_short_name

PEER_LIMIT = 0.5  # a part sharing more than half its text with another body's is 雷同
_SHINGLE = 8  # characters per run, as SIMILAR counts last year's text
_MIN_SHINGLES = 60  # a part of fewer runs (about 70 characters) is a sentence of boilerplate, not copying
_STRIP = re.compile(r"[\s\W_\d]+")
# Fingerprints: the runs that start with one character in four (by code point). The choice depends on the text
# alone, so a run shared by two reports is a fingerprint of both or of neither, and the share of a part's
# fingerprints another part has is a sample of the share of its runs (about ±4 % at 150 fingerprints).
_ANCHORS = "".join(
    chr(c) for c in (*range(0x41, 0x7B), *range(0x3400, 0x9FA6)) if c % 4 == 0 and chr(c).isalpha()
)
# Every run that starts with an anchor, overlapping runs included: findall of a lookahead returns them in one call.
_FINGERPRINT = re.compile(f"(?=([{_ANCHORS}].{{{_SHINGLE - 1}}}))", re.S)
_FEW_FINGERPRINTS = 60  # a part with fewer fingerprints (about 240 characters) is measured on all its runs
_NEAR = (0.3, 0.65)  # fingerprint shares this close to the limit are measured on all runs
_DENSE = 16  # a fingerprint in more parts than this is counted by a matrix product, not pair by pair
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


def _shared_fingerprints(parts: list[_Part]) -> npt.NDArray[np.int32]:
    """How many fingerprints each two parts share, all pairs at once: no two texts are compared one with another.

    A fingerprint in a few parts adds one to each of their pairs; one in many parts (a template's sentence) is a
    column of a parts × fingerprints matrix whose product with itself counts them all in a few BLAS calls, so
    hundreds of bodies filling in one template cost no more than a second.
    """
    n = len(parts)
    index: dict[str, list[int]] = {}
    for i, part in enumerate(parts):
        for f in part.fingerprints:
            index.setdefault(f, []).append(i)
    rows: list[int] = []
    cols: list[int] = []
    dense: list[list[int]] = []
    for posting in index.values():
        if len(posting) > _DENSE:
            dense.append(posting)
        elif len(posting) > 1:
            for a, b in combinations(posting, 2):
                rows.append(a)
                cols.append(b)
    shared = np.zeros((n, n), dtype=np.int32)
    np.add.at(shared, (np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)), 1)
    shared += shared.T
    for start in range(0, len(dense), 4096):
        chunk = dense[start : start + 4096]
        matrix = np.zeros((n, len(chunk)), dtype=np.float32)
        for column, posting in enumerate(chunk):
            matrix[posting, column] = 1.0
        shared += np.rint(matrix @ matrix.T).astype(np.int32)
    np.fill_diagonal(shared, 0)
    return shared


_Pair = tuple[int, int, float, float, bool, bool]


def _similar_pairs(parts: list[_Part]) -> list[_Pair]:
    """(i, j, share of i in j, share of j in i, whether each was measured on all runs) for each pair i < j where
    a share is over PEER_LIMIT.

    A part's share in another is estimated by the part of its fingerprints the other has (a sample of a quarter
    of its runs, chosen by the text itself, so the same for every reader); a pair with a short part, or with an
    estimate near the limit, is measured on all its runs: far from the limit the sample decides.
    """
    if len(parts) < 2:
        return []
    shared = _shared_fingerprints(parts)
    sizes = np.array([max(len(p.fingerprints), 1) for p in parts], dtype=np.float64)
    short = sizes < _FEW_FINGERPRINTS
    share = shared / sizes[:, None]  # share[i, j]: of i's fingerprints, the part j has
    # Pairs to look at: near or over the limit on fingerprints, or a short part sharing any fingerprint.
    wanted = (share > _NEAR[0]) | ((shared > 0) & short[:, None])
    wanted |= wanted.T
    pairs = []
    canonical: dict[str, str] = {}
    for i, j in zip(*np.nonzero(np.triu(wanted, 1)), strict=True):
        share_i, share_j = float(share[i, j]), float(share[j, i])
        exact = short[i] or short[j] or any(_NEAR[0] < s < _NEAR[1] for s in (share_i, share_j))
        if exact:
            # Too close to the limit, or too short, for a sample to decide: every run is counted.
            runs_i, runs_j = parts[i].runs(canonical), parts[j].runs(canonical)
            common = len(runs_i & runs_j)
            share_i, share_j = common / len(runs_i), common / len(runs_j)
        if max(share_i, share_j) > PEER_LIMIT:
            pairs.append((int(i), int(j), share_i, share_j, bool(exact), bool(exact)))
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
            found_pairs += [
                (i, i, 1.0, 1.0, True, True) for i, flat in enumerate(texts) if len(copies[flat]) > 1
            ]
            matches: defaultdict[int, list[_Match]] = defaultdict(list)
            for i, j, share_i, share_j, exact_i, exact_j in found_pairs:
                for a in copies[texts[i]]:
                    for b in copies[texts[j]]:
                        if (i == j and a >= b) or (bodies[a] and bodies[a] == bodies[b]):
                            continue  # each copy pair once; one body twice is a duplicate, not copying
                        for me, other, share, exact in ((a, b, share_i, exact_i), (b, a, share_j, exact_j)):
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
