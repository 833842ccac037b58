"""Text from reports, findings and models shown through Streamlit's Markdown exactly as written, never rendered."""

from __future__ import annotations

# Every ASCII character Markdown (CommonMark, GFM, Streamlit's directives, math) gives a meaning to. Written as a
# character reference it still shows as itself, but it can no longer open an image (which the browser would fetch
# from wherever the text points), a link, an autolink (http:, www., an e-mail), emphasis, a heading or raw HTML.
_ACTIVE = "\\`*_{}[]()#+-.!|<>~$:&\"'=^%@/?"
_REFERENCES = {ord(c): f"&#{ord(c)};" for c in _ACTIVE}


def plain(text: str) -> str:
    """The text for st.markdown, st.caption, st.error, a widget label…: shown as written, line breaks kept."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").translate(_REFERENCES).split("\n")
    return "  \n".join(lines)
