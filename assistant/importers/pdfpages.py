"""A PDF page's characters, text lines and ruled tables, read with pdfium (native code, so ten times faster than pdfminer)."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import pypdfium2.raw as pdfium_c

# The tolerances of pdfplumber's "lines" table finder, which read every cell of the corpus right before.
SNAP = 3.0  # parallel rules this close are one rule
JOIN = 3.0  # collinear rules with a gap this small are one rule
MIN_RULE = 3.0  # shorter rules are not table borders
CROSS = 3.0  # a rule ends this close to another and still meets it
LINE_GAP = 3.0  # characters whose tops are this close are on one line; a wider gap between two is a space
_FLAT = 0.5  # a segment this close to horizontal or vertical is a rule

Box = tuple[float, float, float, float]  # x0, top, x1, bottom; top-down like the page is read
Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Char:
    """One character as the page draws it, with its box measured from the top of the page."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    base: float  # the baseline: characters of one line share it whatever their fonts' heights


@dataclass(frozen=True, slots=True)
class Line:
    """A line of narrative text: its characters in reading order, a space where the page leaves a gap."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Table:
    """A ruled table: its box and its rows, each cell a box or None where a merged cell spans that column."""

    bbox: Box
    rows: list[list[Box | None]]


def page_chars(textpage: Any, height: float) -> list[Char]:
    """Every character pdfium finds on the page, less the spaces and line breaks it generates itself."""
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    x, y = ctypes.c_double(), ctypes.c_double()
    chars: list[Char] = []
    for i in range(pdfium_c.FPDFText_CountChars(textpage)):
        if pdfium_c.FPDFText_IsGenerated(textpage, i) == 1:
            continue
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        if code in (0, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF or chr(code) in "\r\n":
            continue  # unmappable, or half of a pair pdfium already split (outside the Chinese BMP text we read)
        if not pdfium_c.FPDFText_GetCharOrigin(textpage, i, x, y):
            continue
        # The loose box spans the font's ascent to descent, as pdfminer's does: one height for a whole line.
        pdfium_c.FPDFText_GetLooseCharBox(textpage, i, rect)
        pdfium_c.FPDFText_GetMatrix(textpage, i, matrix)
        size = pdfium_c.FPDFText_GetFontSize(textpage, i) * max(abs(matrix.a), abs(matrix.d)) or 1.0
        base = height - y.value
        if rect.right - rect.left > 1.6 * size or rect.top - rect.bottom > 1.6 * size:
            # pdfium leaves the text matrix out of the loose box of a vertical-writing font (Identity-V, which
            # some tables use for a merged cell's upright title): one em from the origin, as pdfminer has it.
            chars.append(Char(chr(code), x.value, base - size, x.value + size, base, base))
        else:
            chars.append(
                Char(chr(code), rect.left, height - rect.top, rect.right, height - rect.bottom, base)
            )
    return chars


def _transform(m: Any, x: float, y: float) -> Point:
    return m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f


def _compose(inner: Any, outer: Any) -> Any:
    """The matrix applying `inner`, then `outer` (an object inside a form XObject)."""
    out = pdfium_c.FS_MATRIX()
    out.a = inner.a * outer.a + inner.b * outer.c
    out.b = inner.a * outer.b + inner.b * outer.d
    out.c = inner.c * outer.a + inner.d * outer.c
    out.d = inner.c * outer.b + inner.d * outer.d
    out.e = inner.e * outer.a + inner.f * outer.c + outer.e
    out.f = inner.e * outer.b + inner.f * outer.d + outer.f
    return out


def _identity() -> Any:
    m = pdfium_c.FS_MATRIX()
    m.a, m.d = 1.0, 1.0
    return m


def _objects(container: Any, count: Any, get: Any, matrix: Any, depth: int) -> Iterator[tuple[Any, Any]]:
    """(path object, its matrix to page space) for every path, inside form XObjects too (to a bounded depth)."""
    for i in range(count(container)):
        obj = get(container, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
            continue
        own = pdfium_c.FS_MATRIX()
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, own):
            continue
        full = _compose(own, matrix)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield obj, full
        elif depth < 8:
            yield from _objects(
                obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, full, depth + 1
            )


def page_rules(page: Any, height: float) -> tuple[list[Box], list[Box]]:
    """The page's horizontal and vertical straight segments (rect sides too) as boxes, top-down."""
    horizontal: list[Box] = []
    vertical: list[Box] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    paths = _objects(page, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, _identity(), 0)
    for obj, m in paths:
        start: Point | None = None
        here: Point | None = None
        for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
            if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
                continue
            point = _transform(m, x.value, y.value)
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            ends: list[tuple[Point, Point]] = []
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and here is not None:
                ends.append((here, point))
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = point
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
                ends.append((point, start))
            for (ax, ay), (bx, by) in ends:
                if abs(ay - by) <= _FLAT and abs(ax - bx) > 0:
                    top = height - (ay + by) / 2
                    horizontal.append((min(ax, bx), top, max(ax, bx), top))
                elif abs(ax - bx) <= _FLAT and abs(ay - by) > 0:
                    left = (ax + bx) / 2
                    vertical.append((left, height - max(ay, by), left, height - min(ay, by)))
            here = start if pdfium_c.FPDFPathSegment_GetClose(segment) else point
    return horizontal, vertical


def _snap(values: list[float], tolerance: float) -> dict[float, float]:
    """Each value to the mean of its cluster (values within `tolerance` of the previous one are a cluster)."""
    snapped: dict[float, float] = {}
    cluster: list[float] = []
    for value in sorted(set(values)):
        if cluster and value > cluster[-1] + tolerance:
            mean = sum(cluster) / len(cluster)
            snapped.update((v, mean) for v in cluster)
            cluster = []
        cluster.append(value)
    if cluster:
        mean = sum(cluster) / len(cluster)
        snapped.update((v, mean) for v in cluster)
    return snapped


def _merge(rules: list[Box], across: int, along: tuple[int, int]) -> list[Box]:
    """Snap parallel rules together, join collinear ones that touch, drop the short ones.

    `across` is the coordinate that places a rule (top for horizontal rules), `along` its start and end.
    """
    lo, hi = along
    position = _snap([r[across] for r in rules], SNAP)
    merged: list[Box] = []
    keyed = sorted((position[r[across]], r[lo], r[hi]) for r in rules)
    for place, group in groupby(keyed, key=lambda k: k[0]):
        spans: list[list[float]] = []
        for _, a, b in group:
            if spans and a <= spans[-1][1] + JOIN:
                spans[-1][1] = max(spans[-1][1], b)
            else:
                spans.append([a, b])
        for a, b in spans:
            if b - a >= MIN_RULE:
                merged.append((a, place, b, place) if across == 1 else (place, a, place, b))
    return merged


def find_tables(horizontal: list[Box], vertical: list[Box]) -> list[Table]:
    """Ruled tables: cells where rules cross, grouped by shared corners (pdfplumber's "lines" method)."""
    hs = _merge(horizontal, 1, (0, 2))
    vs = _merge(vertical, 0, (1, 3))
    crossings: dict[Point, tuple[set[int], set[int]]] = {}
    for vi, (vx, vtop, _, vbottom) in enumerate(vs):
        for hi, (hx0, hy, hx1, _) in enumerate(hs):
            if vtop <= hy + CROSS and vbottom >= hy - CROSS and hx0 - CROSS <= vx <= hx1 + CROSS:
                v_set, h_set = crossings.setdefault((vx, hy), (set(), set()))
                v_set.add(vi)
                h_set.add(hi)

    def joined(a: Point, b: Point) -> bool:
        if a[0] == b[0] and crossings[a][0] & crossings[b][0]:
            return True
        return a[1] == b[1] and bool(crossings[a][1] & crossings[b][1])

    below: dict[float, list[float]] = {}
    right: dict[float, list[float]] = {}
    for px, py in sorted(crossings):
        below.setdefault(px, []).append(py)
        right.setdefault(py, []).append(px)
    cells: list[Box] = []
    for pt in sorted(crossings):
        px, py = pt
        cell = None
        for by in (b for b in below[px] if b > py):
            if not joined(pt, (px, by)):
                continue
            for rx in (r for r in right[py] if r > px):
                corner = (rx, by)
                if (
                    joined(pt, (rx, py))
                    and corner in crossings
                    and joined(corner, (rx, py))
                    and joined(corner, (px, by))
                ):
                    cell = (px, py, rx, by)
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return [_table(group) for group in _by_shared_corners(cells) if len(group) > 1]


def _by_shared_corners(cells: list[Box]) -> list[list[Box]]:
    """Cells in groups that touch at a corner, top-left group first."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[Point, int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            if corner in owner:
                parent[root(i)] = root(owner[corner])
            else:
                owner[corner] = i
    groups: dict[int, list[Box]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(root(i), []).append(cell)
    return sorted(groups.values(), key=lambda g: min((c[1], c[0]) for c in g))


def _table(cells: list[Box]) -> Table:
    columns = sorted({c[0] for c in cells})
    rows: list[list[Box | None]] = []
    for _, row in groupby(sorted(cells, key=lambda c: (c[1], c[0])), key=lambda c: c[1]):
        by_x = {c[0]: c for c in row}
        rows.append([by_x.get(x) for x in columns])
    box = (
        min(c[0] for c in cells),
        min(c[1] for c in cells),
        max(c[2] for c in cells),
        max(c[3] for c in cells),
    )
    return Table(box, rows)


def _in(char: Char, box: Box) -> bool:
    x = (char.x0 + char.x1) / 2
    y = (char.top + char.bottom) / 2
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _rows_of_chars(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into lines by their baselines, each line left to right."""
    lines: list[list[Char]] = []
    last = None
    for char in sorted(chars, key=lambda c: c.base):
        if last is None or char.base > last + LINE_GAP:
            lines.append([])
        lines[-1].append(char)
        last = char.base
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def cell_texts(table: Table, chars: list[Char]) -> list[list[str]]:
    """Each row's cells as text, whitespace removed ("" for a merged or empty cell)."""
    inside_table = [c for c in chars if not c.text.isspace() and _in(c, table.bbox)]
    out: list[list[str]] = []
    for row in table.rows:
        present = [c for c in row if c is not None]
        row_box = (
            min(c[0] for c in present),
            min(c[1] for c in present),
            max(c[2] for c in present),
            max(c[3] for c in present),
        )
        row_chars = [c for c in inside_table if _in(c, row_box)]
        texts = []
        for cell in row:
            inside = [c for c in row_chars if _in(c, cell)] if cell is not None else []
            texts.append("".join(c.text for line in _rows_of_chars(inside) for c in line))
        out.append(texts)
    return out


def text_lines(chars: list[Char]) -> list[Line]:
    """Narrative lines: words split where the page leaves a gap or a space, joined by one space."""
    lines: list[Line] = []
    for row in _rows_of_chars(chars):
        text = ""
        before: Char | None = None
        space = False
        for char in row:
            if char.text.isspace():
                space = True
                continue
            if before is not None and (space or char.x0 > before.x1 + LINE_GAP):
                text += " "
            text += char.text
            before, space = char, False
        words = [c for c in row if not c.text.isspace()]
        if words:
            box = (
                min(c.x0 for c in words),
                min(c.top for c in words),
                max(c.x1 for c in words),
                max(c.bottom for c in words),
            )
            lines.append(Line(text, *box))
    return lines
