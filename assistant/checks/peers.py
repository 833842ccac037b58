"""PEER-SIMILAR: parts that two bodies' reports of one year share (雷同), found without comparing every pair."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

from assistant.checks.findings import Finding
from assistant.checks.similarity import flatten, runs_of
from assistant.format import layout
from assistant.format.models import Report, derive_short_name

PEER_LIMIT = 0.5  # a part sharing more than half its text with another body's is 雷同
_MIN_SHINGLES = 60  # a part of fewer runs (about 70 characters) is a sentence of boilerplate, not copying
_DENSE = 16  # a run in more parts than this is counted by a matrix product, not pair by pair
_CHUNK = 2048  # groups of runs per matrix product: 500 parts × 2048 groups is 8 MB


def body_key(agency: str) -> str:
    """One body under its long and its short name: 淮安市洪泽区人民政府 and 洪泽区人民政府 are one."""
    return derive_short_name("".join(agency.split()))


def shared_runs(parts: list[set[str]]) -> npt.NDArray[np.int64]:
    """How many runs each two parts share, for all pairs at once: no two texts are compared one with another.

    Runs found in one part only (most of them) cost one dictionary entry. The runs of a shared sentence are all in
    the same parts, so runs are grouped by the parts they are in: a group in a few parts adds its size to each of
    their pairs; a group in many parts (a template's sentence, boilerplate) is a weighted column of a parts × groups
    matrix whose product with itself counts them all in BLAS — hundreds of bodies filling in one template cost
    about as much as hundreds that do not.
    """
    import numpy as np  # imported here: only comparing two or more reports needs it (0.1 s to import)

    n = len(parts)
    seen: Counter[str] = Counter()
    for runs in parts:
        seen.update(runs)  # counted in C; most runs are in one part and go no further
    repeated = {run for run, count in seen.items() if count > 1}
    index: dict[str, list[int]] = {}
    for i, runs in enumerate(parts):
        for run in runs & repeated:
            index.setdefault(run, []).append(i)
    groups = Counter(tuple(posting) for posting in index.values())
    rows: list[int] = []
    cols: list[int] = []
    weights: list[int] = []
    dense: list[tuple[tuple[int, ...], int]] = []
    for posting, size in groups.items():
        if len(posting) > _DENSE:
            dense.append((posting, size))
            continue
        for a, b in combinations(posting, 2):
            rows.append(a)
            cols.append(b)
            weights.append(size)
    shared = np.zeros((n, n), dtype=np.int64)
    np.add.at(
        shared, (np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)), np.array(weights, np.int64)
    )
    shared += shared.T
    for start in range(0, len(dense), _CHUNK):
        chunk = dense[start : start + _CHUNK]
        members = np.zeros((n, len(chunk)), dtype=np.float64)
        weighted = np.zeros((n, len(chunk)), dtype=np.float64)
        for column, (posting, size) in enumerate(chunk):
            members[list(posting), column] = 1.0
            weighted[list(posting), column] = size
        # Integer counts far below 2**53: the float64 sums are exact.
        shared += np.rint(weighted @ members.T).astype(np.int64)
    np.fill_diagonal(shared, 0)
    return shared


def similar_pairs(parts: list[set[str]]) -> list[tuple[int, int, float, float]]:
    """(i, j, share of i's runs in j, share of j's runs in i) for each pair i < j where a share is over the limit."""
    if len(parts) < 2:
        return []
    import numpy as np

    shared = shared_runs(parts)
    sizes = np.array([max(len(p), 1) for p in parts], dtype=np.float64)
    share = shared / sizes[:, None]  # share[i, j]: of i's runs, the part j has
    over = share > PEER_LIMIT
    over |= over.T
    return [
        (int(i), int(j), float(share[i, j]), float(share[j, i]))
        for i, j in zip(*np.nonzero(np.triu(over, 1)), strict=True)
    ]


@dataclass
class _Match:
    share: float
    other: str


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
        for top, family in layout.PART_FAMILIES:
            # Reports with the very same text are one part to compare; each pair found covers all their copies.
            copies: dict[str, list[int]] = {}
            for n, (_, report) in enumerate(group):
                copies.setdefault(flatten("\n".join(report.parts[k].text for k in family)), []).append(n)
            texts, parts = [], []
            for text in copies:
                runs = runs_of(text)
                if len(runs) >= _MIN_SHINGLES:
                    texts.append(text)
                    parts.append(runs)
            pairs = similar_pairs(parts)
            pairs += [(i, i, 1.0, 1.0) for i, text in enumerate(texts) if len(copies[text]) > 1]
            matches: defaultdict[int, list[_Match]] = defaultdict(list)
            for i, j, share_i, share_j in pairs:
                for a in copies[texts[i]]:
                    for b in copies[texts[j]]:
                        if (i == j and a >= b) or (bodies[a] and bodies[a] == bodies[b]):
                            continue  # each copy pair once; one body twice is a duplicate, not copying
                        for me, other, share in ((a, b, share_i), (b, a, share_j)):
                            if share > PEER_LIMIT:
                                matches[me].append(_Match(share, group[other][0]))
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
        (layout.part_key(top),),
        f"“{heading}”有{best.share:.0%}的文字与同年度的另一份报告 {best.other} 的“{heading}”相同（雷同），"
        f"考核会扣分，请改写{more}",
        PEER_LIMIT,
        round(best.share, 3),
    )
