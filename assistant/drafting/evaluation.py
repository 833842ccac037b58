"""Evaluate drafting against a model: per part, unsourced numbers, notes covered, length, Markdown, similarity."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assistant.checks.similarity import SIMILAR_LIMIT, similarity
from assistant.drafting.drafter import NO_OVERSIGHT, Oversight, draft_all
from assistant.drafting.llm import ChatClient
from assistant.drafting.prompts import DRAFT_PARTS, note_lines
from assistant.format.models import Report, report_from_json

CASES_DIR = Path(__file__).resolve().parents[1] / "data" / "eval"
_MARKDOWN = re.compile(r"^\s{0,3}(?:#{1,6}\s|[-*+]\s)|\*\*|```|^\s*\|.*\|\s*$", re.M)
_NUMERAL = "[一二三四五六七八九十]+"
# A list marker twice in a row: 一是一是, （一）（一）, 1、1., 一、一是.
_DOUBLED_MARKER = re.compile(
    rf"({_NUMERAL}是|[（(]{_NUMERAL}[)）]|{_NUMERAL}、|[（(]?\d+[)）、.．])\s*\1|{_NUMERAL}、\s*{_NUMERAL}是"
)
# Punctuation that cannot follow itself: 如下：。, ，。, 。。, ；。, ：，
_BROKEN_PUNCTUATION = re.compile(r"[：:，,；;、][。．.！？]|[。][。，；：、]|[，,；;：:、][，,；;：:]")
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")


def repeated_sentences(text: str) -> int:
    """How many sentences repeat one said before in the text (a sentence of five characters or more)."""
    seen: set[str] = set()
    repeats = 0
    for raw in _SENTENCE.findall(text):
        sentence = raw.strip().rstrip("。！？；")
        if len(sentence) < 5:
            continue
        repeats += sentence in seen
        seen.add(sentence)
    return repeats


def doubled_markers(text: str) -> int:
    """How many places put a list marker right after another (一是一是)."""
    return len(_DOUBLED_MARKER.findall(text))


def broken_punctuation(text: str) -> int:
    """How many places join punctuation that cannot stand together (：。 ，。 。。)."""
    return len(_BROKEN_PUNCTUATION.findall(text))


@dataclass
class PartScore:
    """How one drafted part measures up."""

    case: str
    part: str
    unsourced: int
    notes_covered: float
    length: int
    markdown: bool
    similar: float
    error: str = ""
    repeated: int = 0  # sentences said twice
    doubled: int = 0  # list markers doubled (一是一是)
    punctuation: int = 0  # broken punctuation (：。)

    @property
    def defects(self) -> int:
        """The faults of form: repeated sentences, doubled list markers, broken punctuation."""
        return self.repeated + self.doubled + self.punctuation

    @property
    def passed(self) -> bool:
        return (
            not self.error
            and self.unsourced == 0
            and not self.markdown
            and self.similar <= SIMILAR_LIMIT
            and self.defects == 0
        )


@dataclass
class Case:
    """A report with notes, and optionally last year's report."""

    name: str
    report: Report
    previous: Report | None


def load_cases(folder: Path = CASES_DIR) -> list[Case]:
    """Cases are NAME.json, with NAME.previous.json beside it when last year's report is part of the case."""
    cases = []
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith(".previous.json"):
            continue
        previous_path = path.with_name(path.stem + ".previous.json")
        previous = report_from_json(previous_path.read_bytes()) if previous_path.exists() else None
        cases.append(Case(path.stem, report_from_json(path.read_bytes()), previous))
    return cases


def _bigrams(text: str) -> set[str]:
    flat = re.sub(r"[\s\W\d]+", "", text)
    return {flat[i : i + 2] for i in range(len(flat) - 1)}


def notes_covered(notes: str, text: str) -> float:
    """The share of note items whose words (character pairs) mostly appear in the text."""
    items = note_lines(notes)
    if not items:
        return 1.0
    have = _bigrams(text)
    covered = sum(1 for item in items if (pairs := _bigrams(item)) and len(pairs & have) / len(pairs) >= 0.5)
    return covered / len(items)


def evaluate_case(
    case: Case, client: ChatClient | None, oversight: Oversight = NO_OVERSIGHT
) -> list[PartScore]:
    """Draft every part of the case and score it (every request recorded through the oversight)."""
    report = case.report.model_copy(deep=True)
    for key in DRAFT_PARTS:
        report.parts[key].text = ""  # draft from the notes, not from a text already there
    results = draft_all(report, client, case.previous, oversight=oversight)
    scores = []
    for key, result in results.items():
        if result.version is None:
            scores.append(PartScore(case.name, key, 0, 0.0, 0, False, 0.0, result.error))
            continue
        text = result.version.text
        last_year = case.previous.parts[key].text if case.previous else ""
        scores.append(
            PartScore(
                case.name,
                key,
                unsourced=len(result.version.marks),
                notes_covered=notes_covered(case.report.parts[key].notes, text),
                length=len(text),
                markdown=bool(_MARKDOWN.search(result.raw)),
                similar=similarity(text, last_year) if last_year else 0.0,
                repeated=repeated_sentences(text),
                doubled=doubled_markers(text),
                punctuation=broken_punctuation(text),
            )
        )
    return scores


def format_scores(scores: list[PartScore]) -> str:
    """A plain-text table per part, then a summary line."""
    lines = [
        f"{'案例':<28}{'部分':<22}{'无来源数字':>6}{'要点覆盖':>8}{'字数':>6}{'Markdown':>9}{'与上年相似':>8}"
        f"{'重复句':>5}{'重复序号':>5}{'标点错误':>5}  结果"
    ]
    for s in scores:
        verdict = f"失败：{s.error}" if s.error else ("通过" if s.passed else "未通过")
        lines.append(
            f"{s.case:<30}{s.part:<24}{s.unsourced:>8}{s.notes_covered:>10.0%}{s.length:>8}"
            f"{'有' if s.markdown else '无':>9}{s.similar:>11.0%}{s.repeated:>7}{s.doubled:>8}{s.punctuation:>8}  {verdict}"
        )
    passed = sum(s.passed for s in scores)
    lines.append(
        f"汇总：{len(scores)} 个部分，通过 {passed} 个；无来源数字 {sum(s.unsourced for s in scores)} 个，"
        f"Markdown {sum(s.markdown for s in scores)} 处，与上年过于相似 {sum(s.similar > SIMILAR_LIMIT for s in scores)} 个，"
        f"重复句 {sum(s.repeated for s in scores)} 处，重复序号 {sum(s.doubled for s in scores)} 处，"
        f"标点错误 {sum(s.punctuation for s in scores)} 处，失败 {sum(bool(s.error) for s in scores)} 个"
    )
    return "\n".join(lines)
