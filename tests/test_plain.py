"""plain(): user and model text shown through Streamlit's Markdown as written, with nothing left to render."""

from __future__ import annotations

import html
import re

import pytest

from assistant.ui.plain import plain

HOSTILE = [
    "![](http://10.255.255.1/x.png)",
    '![alt](https://10.255.255.1/x.png "title")',
    "[link](http://10.255.255.1/)",
    "<http://10.255.255.1/auto>",
    "www.example.com/path",
    "mail me: clerk@example.com",
    "![ref][r]\n\n[r]: http://10.255.255.1/ref.png",
    '<img src="http://10.255.255.1/x.png">',
    "# 标题\n- 列表\n1. 编号\n> 引用\n**粗体** `代码` $x$ :red[红字] ~~删除~~",
    "硤石乡主动公开政府信息16.5条。\r\n第二行",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_markdown_can_use_is_left_and_the_text_reads_the_same(text: str) -> None:
    shown = plain(text)
    assert not re.search(r"[!\[\]()<>*`#$~:@]|https?:|www\.", shown.replace("&#", "")), shown
    decoded = html.unescape(shown).replace("\u2060", "").replace("  \n", "\n")
    assert decoded == text.replace("\r\n", "\n")
