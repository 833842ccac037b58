"""Text from reports, findings and models shown through Streamlit's Markdown exactly as written, never rendered."""

from __future__ import annotations

import re

# Every ASCII character Markdown (CommonMark, GFM, Streamlit's directives, math) gives a meaning to. Written as a
# character reference it still shows as itself, but it can no longer open an image (which the browser would fetch
# from wherever the text points), a link, emphasis, a heading or raw HTML.
_ACTIVE = "\\`*_{}[]()#+-.!|<>~$:&\"'=^%@/?"
_REFERENCES = {ord(c): f"&#{ord(c)};" for c in _ACTIVE}
# GFM also links bare addresses (http://…, www.…, a@b.c) after references are decoded, so a word joiner, which
# shows as nothing, is put where those patterns need two characters side by side.
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=www)(?=\.)|(?=@)")
_JOINER = "\u2060"


def plain(text: str) -> str:
    """The text for st.markdown, st.caption, st.error, a widget label…: shown as written, line breaks kept."""
    text = _AUTOLINK.sub(_JOINER, str(text).replace("\r\n", "\n").replace("\r", "\n"))
    return "  \n".join(text.translate(_REFERENCES).split("\n"))
