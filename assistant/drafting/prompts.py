"""Render the Jinja2 templates in assistant/prompts/: the LLM's messages and the offline drafter's sentences."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

from assistant.checks.facts import table_summary
from assistant.checks.numbers import int_to_chinese
from assistant.checks.placeholders import gap_marker
from assistant.format import layout
from assistant.format.models import GuardMark, Report

# Inside the package, so that a wheel carries them as package data and every install finds them the same way.
PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"

# The parts the drafter writes; 五's own paragraph is left to its two sub-parts.
DRAFT_PARTS: tuple[str, ...] = (
    "overview",
    "overview.active",
    "overview.request",
    "overview.management",
    "overview.platform",
    "overview.oversight",
    "problems.issues",
    "problems.measures",
    "other",
)
# Suggested length per part (characters, paragraphs): the overview's opening is short, the others a paragraph or two.
_LENGTH = {"overview": (150, "一段"), "problems.issues": (200, "一段"), "other": (200, "一至两段")}
_FENCE = re.compile(r"</?资料>")
Message = dict[str, str]


def target_length(key: str) -> int:
    """The length a part's draft is asked for, in characters."""
    return _LENGTH.get(key, (300, ""))[0]


def _blank(value: Any) -> Any:
    """Jinja filter `n`: a figure, or 未填写 for a blank cell (a blank is never printed as 0 or None)."""
    return "（未填写）" if value is None else value


def _or_gap(value: Any, what: str) -> Any:
    """Jinja filter `or_gap` of the offline sentences: a figure, or the one gap marker PLACEHOLDER finds."""
    return gap_marker(what) if value is None else value


def _dated(notes: list[str], year: int) -> bool:
    """Jinja test `dated`: the notes open as an opening does ("2024 年，…", "本年度，…"; an imported report's text
    kept as notes does), so the offline drafter's own opening would say the same thing twice."""
    return bool(notes) and re.match(rf"\s*(?:{year}\s*年|本年度|今年)", notes[0]) is not None


def _ordinal(index: int) -> str:
    return int_to_chinese(index)


@cache
def environment() -> Environment:
    """The template environment: StrictUndefined, so a missing variable is an error, not an empty string."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined  # imported here: only drafting needs it

    env = Environment(
        loader=FileSystemLoader(PROMPTS_DIR),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["n"] = _blank
    env.filters["or_gap"] = _or_gap
    env.globals["gap"] = gap_marker
    env.globals["cn"] = _ordinal
    env.globals["as_points"] = points
    env.globals["decisions"] = _decisions
    env.tests["mentioning"] = lambda text, word: word in text
    env.tests["dated"] = _dated
    return env


def _fenced(text: str) -> str:
    """Data for a <资料> block: the fence tags themselves are removed so data cannot close the fence."""
    return _FENCE.sub("", text).strip()


def template_name(key: str) -> str:
    """The template file of a part: overview.active → overview_active.j2."""
    return key.replace(".", "_") + ".j2"


_LEADING_MARKER = re.compile(
    r"^\s*(?:[-*•·]|\d+\s*[、.．)）]|[（(]\s*(?:\d+|[一二三四五六七八九十]+)\s*[)）]|[一二三四五六七八九十]+\s*[、是])\s*"
)
# 二是, 三是… inside an item: the clerk (or the imported text) numbered the points already.
_INLINE_MARKER = re.compile(r"[，,；;。]\s*[二三四五六七八九十]+是")
_GOES_ON = re.compile(r"[，,；;。]\s*二是")
# "现将……报告如下：" closes an imported opening; the drafter writes its own.
_REPORT_FOLLOWS = re.compile(r"现将[^。；]*?如下[：:。]?\s*$")
_SENTENCE_END = "。！？"


def note_lines(notes: str) -> list[str]:
    """The clerk's notes as clean items: one per line, list markers (also 1、一是) and end punctuation removed."""
    items = []
    for line in notes.splitlines():
        item = line
        while (stripped := _LEADING_MARKER.sub("", item, count=1)) != item:
            item = stripped
        item = _REPORT_FOLLOWS.sub("", item.strip()).strip().rstrip("。；;，,：:、 ")
        if item:
            items.append(item)
    return items


def join_broken_lines(text: str) -> str:
    """Text whose lines break mid-sentence (a PDF's layout) joined into its sentences and list items: a line is
    joined to the next unless it ends a sentence (or a heading's colon) or the next starts a list item."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out: list[str] = []
    for line in lines:
        if out and out[-1][-1] not in _SENTENCE_END + "；;：:" and not _LEADING_MARKER.match(line):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def points(notes: list[str]) -> str:
    """Note items as prose: one item as a sentence; several as 一是…；二是…。, unless they carry their own
    numbering (then each stays a sentence). A sentence already said is not said again."""
    seen: set[str] = set()
    items: list[str] = []
    for note in notes:
        kept = []
        for sentence in re.findall(r"[^。！？]+[。！？]?", note):
            bare = sentence.strip().rstrip(_SENTENCE_END)
            if bare and bare not in seen:
                seen.add(bare)
                kept.append(bare)
        if kept:
            items.append("。".join(kept))
    if not items:
        return ""
    if len(items) == 1 or any(_INLINE_MARKER.search(item) for item in items):
        # Numbered by the clerk: an item going on with 二是 gets back the 一是 note_lines took from its start.
        return "".join(
            f"{'一是' if _GOES_ON.search(item) and not item.startswith('一是') else ''}{item}。"
            for item in items
        )
    return "".join(
        f"{_ordinal(n)}是{item}{'。' if n == len(items) else '；'}" for n, item in enumerate(items, 1)
    )


def _decisions(s: dict[str, Any]) -> str:
    """表二's decisions that happened, as a phrase: 行政许可决定5件、行政处罚决定12件 (none left out as 0件)."""
    words = (("licensing", "行政许可决定"), ("punishment", "行政处罚决定"), ("coercion", "行政强制决定"))
    return "、".join(f"{word}{s[name]}件" for name, word in words if s.get(name))


def _base_context(report: Report) -> dict[str, Any]:
    return {"agency": report.agency, "name": report.name, "year": report.year, "s": table_summary(report)}


def render_facts(report: Report) -> str:
    """The facts block: every figure of the tables and the metadata, in sentences."""
    return environment().get_template("facts.j2").render(**_base_context(report)).strip()


def render_system(report: Report) -> str:
    """The system prompt for this report."""
    return environment().get_template("system.j2").render(**_base_context(report)).strip()


def part_context(report: Report, key: str, previous: Report | None = None) -> dict[str, Any]:
    """Everything a part's template may use."""
    spec = layout.PART_BY_KEY[key]
    notes = report.parts[key].notes.strip()
    existing = report.parts[key].text.strip()
    length, paragraphs = _LENGTH.get(key, (300, "一至两段"))
    last_year = previous.parts[key].text if previous is not None else ""
    last_problems = ""
    if previous is not None:
        last_problems = "\n".join(
            t for t in (previous.parts["problems.issues"].text, previous.parts["problems"].text) if t.strip()
        )
    return {
        **_base_context(report),
        "key": key,
        "heading": spec.heading,
        "facts": render_facts(report),
        "notes": _fenced(notes),
        "existing": _fenced(existing) if existing and existing != notes else "",
        "last_year": _fenced(last_year),
        "last_year_problems": _fenced(last_problems) if key == "problems.measures" else "",
        "this_year_problems": _fenced(report.parts["problems.issues"].text)
        if key == "problems.measures"
        else "",
        "length": length,
        "paragraphs": paragraphs,
    }


def draft_messages(report: Report, key: str, previous: Report | None = None) -> list[Message]:
    """The chat messages that ask for a first draft of one part."""
    prompt = (
        environment()
        .get_template(f"parts/{template_name(key)}")
        .render(**part_context(report, key, previous))
    )
    return [{"role": "system", "content": render_system(report)}, {"role": "user", "content": prompt.strip()}]


def refine_messages(
    report: Report, key: str, instruction: str, earlier: list[str], previous: Report | None = None
) -> list[Message]:
    """Messages that rewrite one part: the draft request, the current text, the instruction and earlier ones."""
    messages = draft_messages(report, key, previous)
    messages.append({"role": "assistant", "content": report.parts[key].text})
    refine = (
        environment()
        .get_template("refine.j2")
        .render(
            heading=layout.PART_BY_KEY[key].heading,
            instruction=_fenced(instruction),
            earlier=[_fenced(e) for e in earlier[-5:]],
        )
    )
    messages.append({"role": "user", "content": refine.strip()})
    return messages


def retry_message(marks: list[GuardMark]) -> Message:
    """The follow-up that lists the numbers the guard rejected."""
    return {"role": "user", "content": environment().get_template("retry.j2").render(marks=marks).strip()}


def render_offline(report: Report, key: str, previous: Report | None = None) -> str:
    """The offline drafter's text for one part: fixed sentences around the facts and the notes."""
    context = part_context(report, key, previous)
    context["notes"] = note_lines(report.parts[key].notes)
    text = environment().get_template(f"offline/{template_name(key)}").render(**context)
    return re.sub(r"\n{2,}", "\n", text).strip()
