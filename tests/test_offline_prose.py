"""The offline drafter writes prose from the facts: no strings of zero counts, no claims the notes do not make."""

from __future__ import annotations

import pytest

from assistant.checks.facts import table_summary
from assistant.drafting.drafter import draft_part, text_as_notes
from assistant.drafting.prompts import join_broken_lines, note_lines, points
from assistant.format import layout
from assistant.format.models import Report

COLUMNS = [c for c, _ in layout.T4_COLUMNS]


def _offline(report: Report, key: str) -> str:
    version = draft_part(report, key, None).version
    assert version is not None
    return version.text


@pytest.mark.parametrize(
    ("cells", "said", "unsaid"),
    [
        (
            {"t2.normative.issued": 0, "t2.normative.repealed": 0, "t2.normative.valid": 0},
            "全年未制发、废止行政规范性文件。",
            "0件",
        ),
        (
            {"t2.normative.issued": 0, "t2.normative.repealed": 0, "t2.normative.valid": 7},
            "全年未制发、废止行政规范性文件，现行有效行政规范性文件7件。",
            "0件",
        ),
        (
            {"t2.normative.issued": 2, "t2.normative.repealed": 0, "t2.normative.valid": 9},
            "全年制发行政规范性文件2件，现行有效9件。",
            "废止0件",
        ),
    ],
)
def test_zero_counts_read_as_prose(example: Report, cells: dict[str, int], said: str, unsaid: str) -> None:
    example.cells.update(cells)
    text = _offline(example, "overview.active")
    assert said in text and unsaid not in text, text


def test_decisions_that_did_not_happen_are_left_out(example: Report) -> None:
    example.cells.update(
        {"t2.licensing.decisions": 5, "t2.punishment.decisions": 0, "t2.coercion.decisions": 0}
    )
    text = _offline(example, "overview.active")
    assert "公开行政许可决定5件。" in text and "处罚决定0件" not in text, text


@pytest.mark.parametrize(
    ("review", "suit", "said"),
    [
        (0, 0, "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。"),
        (2, 0, "全年发生政府信息公开行政复议2件，未发生行政诉讼案件。"),
        (0, 1, "全年发生政府信息公开行政诉讼1件，未发生行政复议案件。"),
    ],
)
def test_reviews_and_suits_read_as_prose(example: Report, review: int, suit: int, said: str) -> None:
    # The 结果维持 column of each group: the totals follow from it when the tables are filled.
    example.cells.update({f"t4.{g}.{c}": 0 for g in ("review", "suit_direct", "suit_after") for c in COLUMNS})
    example.cells.update(
        {
            "t4.review.upheld": review,
            "t4.review.total": review,
            "t4.suit_direct.upheld": suit,
            "t4.suit_direct.total": suit,
        }
    )
    summary = table_summary(example)
    assert (summary["review_total"], summary["suit_total"]) == (review, suit)
    assert said in _offline(example, "overview.request")


def test_measures_claim_no_work_the_notes_do_not_state(example: Report) -> None:
    previous = example.model_copy(deep=True)
    previous.parts["problems.issues"].text = "公开不够及时。"
    example.parts["problems.measures"].notes = "加强培训"
    text = draft_part(example, "problems.measures", None, previous).version.text  # type: ignore[union-attr]
    assert "整改" not in text and "加强培训" in text


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        (["加强培训", "完善制度"], "一是加强培训；二是完善制度。"),
        (["现将我乡2024年政府信息公开年度报告如下："], ""),
        (["做好公开工作。做好公开工作"], "做好公开工作。"),
        (
            ["硤石乡将严格落实制度，二是细化公示内容", "强化学习"],
            "一是硤石乡将严格落实制度，二是细化公示内容。强化学习。",
        ),
    ],
)
def test_points_never_double_a_marker_or_a_sentence(notes: list[str], expected: str) -> None:
    assert points(note_lines("\n".join(notes))) == expected


def test_markers_stacked_at_a_lines_start_all_go() -> None:
    assert note_lines("1、一是落实制度。\n（二）2. 加强学习；") == ["落实制度", "加强学习"]


def test_lines_a_pdf_broke_mid_sentence_are_joined_before_they_become_notes(example: Report) -> None:
    broken = "本机关依托政府网站公开\n政府信息，及时更新公开\n栏内容。\n一是加强培训；\n二是完善制度。"
    assert (
        join_broken_lines(broken)
        == "本机关依托政府网站公开政府信息，及时更新公开栏内容。\n一是加强培训；\n二是完善制度。"
    )
    example.parts["other"].notes = ""
    example.parts["other"].text = broken
    example.parts["other"].versions = []
    assert text_as_notes(example, "other")
    assert note_lines(example.parts["other"].notes) == [
        "本机关依托政府网站公开政府信息，及时更新公开栏内容",
        "加强培训",
        "完善制度",
    ]


@pytest.mark.parametrize(
    ("key", "opening"),
    [("overview", "坚持以习近平新时代中国特色社会主义思想为指导"), ("overview.active", "依托政府网站、政务新媒体")],
)
@pytest.mark.parametrize(
    ("notes", "kept"),
    [
        ("2024 年，本乡认真开展政府信息公开工作", False),  # an imported report's own opening, kept as notes
        ("本年度，本乡及时更新公开栏", False),
        ("加强培训\n2024年，本乡更新网站栏目", True),  # only an opening line is an opening
        ("本年共收到申请5件", True),
        ("加强培训", True),
        ("", True),
    ],
)
def test_the_opening_is_not_said_twice(example: Report, key: str, opening: str, notes: str, kept: bool) -> None:
    example.parts[key].notes = notes
    example.parts[key].text = ""
    assert (opening in _offline(example, key)) is kept
