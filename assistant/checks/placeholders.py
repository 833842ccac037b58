"""Text left for someone to fill: （请…）, 【请…】, XX件, ××, a count word without its figure, the drafter's gaps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from assistant.checks.findings import Finding, describe
from assistant.format import layout
from assistant.format.models import Report

# The one form the offline drafter writes where a fact is missing; PLACEHOLDER finds it like any （请…）.
GAP_MARKER = "【请填写：{}】"

_UNIT = r"(?:人次|万元|件|条|次|篇|个|项|场|期|元)"
# What may follow a unit for the phrase to have lost its figure: the clause ends there.
_CLAUSE_END = r"(?=[，。；、,;：:）)\s]|$)"
_NOUN = r"(?:政府信息公开申请|信息公开申请|政府信息|信息处理费|处理费|规范性文件|申请|信息|文件|决定)?"
_PATTERNS = (
    r"[（(]\s*请(?!求)[^（()）\n]{0,60}[)）]",  # （请在要点中写明改进措施。）
    r"【\s*请[^【】\n]{0,60}】|\[\s*请[^\[\]\n]{0,60}\]",  # 【请填写：…】 the drafter's gap marker
    r"[（(【\[]\s*(?:文字描述|待补充|待填写|此处填写|未填写|填写[^（()）【】\[\]\n]{0,20})\s*[)）】\]]",
    rf"(?<![A-Za-z])(?:[XxＸｘ]{{2,}}|[XxＸｘ](?=\s*{_UNIT}))(?![A-Za-z])(?:\s*{_UNIT})?",  # XX件, X条
    r"[×✕╳]{2,}|□{2,}|(?<![一二三四五六七八九十〇零○])[〇○]{2,}(?![一二三四五六七八九十〇零○年])",  # ××
    # A count word whose figure was left out: 共主动公开条, 收到申请件, 共计件. The clause must end at the unit,
    # so 公开条例 and 公开文件 are not read as gaps.
    r"(?:共计?|合计|累计|总计)(?:主动)?(?:公开|收到|受理|办结|新收|制发|印发|发布|废止|接收|接到|处理|办理|答复|收取|"
    r"开展|组织|举办|召开)?" + _NOUN + _UNIT + _CLAUSE_END,
    r"(?:主动公开|收到|新收|受理|办结|接收|接到|制发|印发|废止|收取)" + _NOUN + _UNIT + _CLAUSE_END,
)
_FIRST = r"[（(【\[XxＸｘ×✕╳□〇○共合累总主收新受办接制印废]"  # every character a placeholder can start with
_STARTS = re.compile(_FIRST)
# The lookahead lets the engine skip, in C, every position where no placeholder can start (most of any text).
_PLACEHOLDER = re.compile(f"(?={_FIRST})(?:" + "|".join(f"(?:{p})" for p in _PATTERNS) + ")")


@dataclass(frozen=True, slots=True)
class Placeholder:
    """Text left to be filled: where it stands and what it says."""

    start: int
    end: int
    text: str


def gap_marker(what: str) -> str:
    """The offline drafter's mark for a fact it does not have: 【请填写：…】."""
    return GAP_MARKER.format(what)


@lru_cache(maxsize=4096)
def find_placeholders(text: str) -> tuple[Placeholder, ...]:
    """Every placeholder in the text, in order."""
    if not _STARTS.search(text):
        return ()
    return tuple(Placeholder(m.start(), m.end(), m.group(0)) for m in _PLACEHOLDER.finditer(text))


def without_placeholders(text: str) -> str:
    """The text with its placeholders cut out: what is really written."""
    spots = find_placeholders(text)
    if not spots:
        return text
    out, at = [], 0
    for spot in spots:
        out.append(text[at : spot.start])
        at = spot.end
    out.append(text[at:])
    return "".join(out)


_PLACES = tuple((layout.part_key(p.key), p.key, p.title) for p in layout.PARTS)
# The facts the opening paragraph is composed from: a template's 0371-XXXXXXXX would print there.
_FIELD_NAMES = ("agency", "compiler", "published_at", "contact_address", "contact_phone", "preamble")
_FIELDS = attrgetter(*_FIELD_NAMES)
_WHERE = tuple((f"report.{n}", describe(f"report.{n}")) for n in _FIELD_NAMES) + tuple(
    (key, title) for key, _, title in _PLACES
)
_PART_KEYS = tuple(key for _, key, _ in _PLACES)


@lru_cache(maxsize=1024)
def _findings(texts: tuple[str, ...]) -> tuple[Finding, ...]:
    """The PLACEHOLDER findings of a report's texts, cached: most checks see texts that have not changed."""
    out: list[Finding] = []
    for (key, title), text in zip(_WHERE, texts, strict=True):
        spots = find_placeholders(text)
        if not spots:
            continue
        shown = "、".join(f"“{s.text}”" for s in spots[:3]) + ("等" if len(spots) > 3 else "")
        out.append(
            Finding(
                "PLACEHOLDER",
                "error",
                (key,),
                f"“{title}”中还有待填写的内容：{shown}，请补上实际内容或删去",
                None,
                [s.text for s in spots],
            )
        )
    return tuple(out)


def check_placeholders(report: Report) -> list[Finding]:
    """PLACEHOLDER: an error for each part, or fact of the opening, that still holds text left to be filled."""
    parts = report.parts
    found = _findings(_FIELDS(report) + tuple([parts[k].text for k in _PART_KEYS]))
    return list(found)
